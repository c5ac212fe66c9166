// conversations.info, conversations.open, conversations.history and conversations.replies.
import { dmChannelOf } from '../directory.js';
import { toSlackMessage } from './chat.js';
import { failure, type MethodHandler, stringArg } from './context.js';

export const info: MethodHandler = (args, context) => {
  const id = stringArg(args, 'channel');
  const channel = id ? context.directory.resolveChannel(id) : undefined;
  if (!channel) return failure('channel_not_found');
  const isIm = channel.id.startsWith('D');
  return {
    ok: true,
    channel: {
      id: channel.id,
      name: channel.name,
      name_normalized: channel.name,
      created: 1_600_000_000,
      creator: 'U0CREATOR',
      is_channel: !isIm && channel.isPrivate !== true,
      is_group: !isIm && channel.isPrivate === true,
      is_im: isIm,
      is_mpim: false,
      is_private: isIm || channel.isPrivate === true,
      is_archived: channel.isArchived === true,
      is_general: false,
      is_member: channel.isMember !== false,
      is_shared: false,
      is_ext_shared: false,
      is_org_shared: false,
      context_team_id: context.directory.teamId,
      topic: { value: '', creator: '', last_set: 0 },
      purpose: { value: '', creator: '', last_set: 0 },
    },
  };
};

export const open: MethodHandler = (args, context) => {
  const users = (stringArg(args, 'users') ?? '').split(',').filter((u) => u !== '');
  const [user] = users;
  if (users.length !== 1 || user === undefined || !context.directory.user(user))
    return failure('user_not_found');
  return { ok: true, channel: { id: dmChannelOf(user) } };
};

export const history: MethodHandler = (args, context) => {
  const id = stringArg(args, 'channel');
  const channel = id ? context.directory.resolveChannel(id) : undefined;
  if (!channel) return failure('channel_not_found');
  const messages = context.messages.topLevel(channel.id).reverse();
  return {
    ok: true,
    messages: messages.map((m) => toSlackMessage(m, context)),
    has_more: false,
    response_metadata: { next_cursor: '' },
  };
};

export const replies: MethodHandler = (args, context) => {
  const id = stringArg(args, 'channel');
  const channel = id ? context.directory.resolveChannel(id) : undefined;
  if (!channel) return failure('channel_not_found');
  const ts = stringArg(args, 'ts');
  const parent = ts ? context.messages.get(channel.id, ts) : undefined;
  if (!parent || !ts) return failure('thread_not_found');
  const thread = [parent, ...context.messages.replies(channel.id, ts)];
  return {
    ok: true,
    messages: thread.map((m) => toSlackMessage(m, context)),
    has_more: false,
    response_metadata: { next_cursor: '' },
  };
};
