// chat.postMessage, chat.postEphemeral, chat.update, chat.delete and chat.getPermalink.
import { BOT_ID } from '../message-store.js';
import type { Payload, StoredMessage } from '../types.js';
import { checkMessage } from '../validation.js';
import {
  arrayArg,
  failure,
  type MethodContext,
  type MethodHandler,
  postableChannel,
  rejected,
  stringArg,
} from './context.js';

export const postMessage: MethodHandler = (args, context) => {
  const lookup = postableChannel(args.channel, context);
  if ('error' in lookup) return lookup.error;
  const check = checkMessage(args, { requireContent: true });
  if (!check.ok) return rejected(context, check);
  const threadTs = stringArg(args, 'thread_ts');
  const stored = context.messages.post({
    channel: lookup.channel.id,
    text: stringArg(args, 'text') ?? '',
    blocks: arrayArg(args, 'blocks') ?? [],
    attachments: arrayArg(args, 'attachments') ?? [],
    ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
    ...(typeof args.metadata === 'object' ? { metadata: args.metadata } : {}),
    ...(threadTs !== undefined && args.reply_broadcast === true ? { reply_broadcast: true } : {}),
  });
  return { ok: true, channel: stored.channel, ts: stored.ts, message: toSlackMessage(stored, context) };
};

export const postEphemeral: MethodHandler = (args, context) => {
  const lookup = postableChannel(args.channel, context);
  if ('error' in lookup) return lookup.error;
  const user = stringArg(args, 'user');
  if (!user || !context.directory.user(user)) return failure('user_not_in_channel');
  const check = checkMessage(args, { requireContent: true });
  if (!check.ok) return rejected(context, check);
  const threadTs = stringArg(args, 'thread_ts');
  const stored = context.messages.addEphemeral({
    channel: lookup.channel.id,
    user,
    text: stringArg(args, 'text') ?? '',
    blocks: arrayArg(args, 'blocks') ?? [],
    ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
    source: 'chat.postEphemeral',
  });
  return { ok: true, message_ts: stored.ts };
};

export const update: MethodHandler = (args, context) => {
  const found = existingMessage(args, 'ts', context);
  if ('error' in found) return found.error;
  const check = checkMessage(args, { requireContent: true });
  if (!check.ok) return rejected(context, check);
  const text = stringArg(args, 'text') ?? (typeof args.text === 'string' ? '' : undefined);
  const blocks = arrayArg(args, 'blocks');
  const attachments = arrayArg(args, 'attachments');
  const updated = context.messages.update(found.message.channel, found.message.ts, {
    ...(text === undefined ? {} : { text }),
    ...(blocks === undefined ? {} : { blocks }),
    ...(attachments === undefined ? {} : { attachments }),
  });
  if (!updated) return failure('message_not_found');
  return {
    ok: true,
    channel: updated.channel,
    ts: updated.ts,
    text: updated.text,
    message: toSlackMessage(updated, context),
  };
};

export const deleteMessage: MethodHandler = (args, context) => {
  const found = existingMessage(args, 'ts', context);
  if ('error' in found) return found.error;
  context.messages.remove(found.message.channel, found.message.ts);
  return { ok: true, channel: found.message.channel, ts: found.message.ts };
};

export const getPermalink: MethodHandler = (args, context) => {
  const found = existingMessage(args, 'message_ts', context);
  if ('error' in found) return found.error;
  const { channel, ts, thread_ts } = found.message;
  const base = `${context.directory.teamUrl}archives/${channel}/p${ts.replace('.', '')}`;
  const permalink = thread_ts && thread_ts !== ts ? `${base}?thread_ts=${thread_ts}&cid=${channel}` : base;
  return { ok: true, channel, permalink };
};

function existingMessage(
  args: Payload,
  tsField: string,
  context: MethodContext,
): { message: StoredMessage } | { error: Payload } {
  const channelArg = stringArg(args, 'channel');
  const channel = channelArg ? context.directory.resolveChannel(channelArg) : undefined;
  if (!channel) return { error: failure('channel_not_found') };
  const ts = stringArg(args, tsField);
  const message = ts ? context.messages.get(channel.id, ts) : undefined;
  return message ? { message } : { error: failure('message_not_found') };
}

/** A message the way the Web API returns it. */
export function toSlackMessage(message: StoredMessage, context: MethodContext): Payload {
  return {
    type: 'message',
    user: message.user,
    bot_id: message.bot_id,
    app_id: 'A0PROMOTION',
    team: context.directory.teamId,
    text: message.text,
    ts: message.ts,
    ...(message.blocks.length > 0 ? { blocks: message.blocks } : {}),
    ...(message.attachments.length > 0 ? { attachments: message.attachments } : {}),
    ...(message.thread_ts === undefined ? {} : { thread_ts: message.thread_ts }),
    ...(message.metadata === undefined ? {} : { metadata: message.metadata }),
    ...(message.files === undefined ? {} : { files: message.files }),
    ...(message.edits > 0 ? { edited: { user: message.user, ts: message.ts } } : {}),
    bot_profile: {
      id: BOT_ID,
      name: 'promotion-bot',
      app_id: 'A0PROMOTION',
      team_id: context.directory.teamId,
    },
  };
}
