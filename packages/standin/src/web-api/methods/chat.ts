// chat.postMessage, chat.postEphemeral, chat.update, chat.delete and chat.getPermalink, with the errors their
// docs.slack.dev/reference/methods pages (and slack_web_openapi_v2.json) list: channel_not_found, not_in_channel,
// is_archived, user_not_in_channel, message_not_found, cant_update_message, cant_delete_message,
// invalid_metadata_format, invalid_metadata_schema.
//
// A reply whose `thread_ts` names a deleted parent is still posted into that thread, as Slack does (the thread
// stays, under "This message was deleted."); chat.update on the deleted parent answers message_not_found.
import { z } from 'zod';
import { BOT_ID, BOT_USER_ID } from '../message-store.js';
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
  visibleChannel,
} from './context.js';

export const postMessage: MethodHandler = (args, context) => {
  const lookup = postableChannel(args.channel, context);
  if ('error' in lookup) return lookup.error;
  const check = checkMessage(args, { requireContent: true });
  if (!check.ok) return rejected(context, check);
  const metadata = metadataOf(args.metadata);
  if (typeof metadata === 'string') return failure(metadata);
  const threadTs = stringArg(args, 'thread_ts');
  const stored = context.messages.post({
    channel: lookup.channel.id,
    text: stringArg(args, 'text') ?? '',
    blocks: arrayArg(args, 'blocks') ?? [],
    attachments: arrayArg(args, 'attachments') ?? [],
    ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
    ...(metadata === undefined ? {} : { metadata }),
    ...(threadTs !== undefined && args.reply_broadcast === true ? { reply_broadcast: true } : {}),
  });
  return { ok: true, channel: stored.channel, ts: stored.ts, message: toSlackMessage(stored, context) };
};

export const postEphemeral: MethodHandler = (args, context) => {
  const lookup = postableChannel(args.channel, context);
  if ('error' in lookup) return lookup.error;
  const user = stringArg(args, 'user');
  if (!user || !context.directory.isInChannel(lookup.channel.id, user)) return failure('user_not_in_channel');
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
  const found = existingMessage(args, 'ts', context, postableChannel);
  if ('error' in found) return found.error;
  if (found.message.user !== BOT_USER_ID) return failure('cant_update_message');
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
  const found = existingMessage(args, 'ts', context, postableChannel);
  if ('error' in found) return found.error;
  if (found.message.user !== BOT_USER_ID) return failure('cant_delete_message');
  context.messages.remove(found.message.channel, found.message.ts);
  return { ok: true, channel: found.message.channel, ts: found.message.ts };
};

export const getPermalink: MethodHandler = (args, context) => {
  const found = existingMessage(args, 'message_ts', context, visibleChannel);
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
  lookup: typeof postableChannel,
): { message: StoredMessage } | { error: Payload } {
  const found = lookup(args.channel, context);
  if ('error' in found) return found;
  const ts = stringArg(args, tsField);
  const message = ts ? context.messages.get(found.channel.id, ts) : undefined;
  return message ? { message } : { error: failure('message_not_found') };
}

/**
 * Message metadata as Slack takes it: `{ event_type, event_payload }` (docs.slack.dev, "Using message
 * metadata"); the error name when it is not that shape, undefined when there is none.
 */
function metadataOf(value: unknown): Payload | string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'invalid_metadata_format';
  const parsed = MessageMetadata.safeParse(value);
  return parsed.success ? parsed.data : 'invalid_metadata_schema';
}

const MessageMetadata = z.object({
  event_type: z.string().min(1),
  event_payload: z.record(z.string(), z.unknown()),
});

/**
 * A message the way the Web API returns it. Its `metadata` only where the caller asked for it
 * (conversations.history / replies with `include_all_metadata`), as Slack does.
 */
export function toSlackMessage(
  message: StoredMessage,
  context: MethodContext,
  options: { metadata?: boolean } = {},
): Payload {
  const byBot = message.bot_id !== '';
  return {
    type: 'message',
    user: message.user,
    ...(byBot ? { bot_id: message.bot_id, app_id: 'A0PROMOTION' } : {}),
    team: context.directory.teamId,
    text: message.text,
    ts: message.ts,
    ...(message.blocks.length > 0 ? { blocks: message.blocks } : {}),
    ...(message.attachments.length > 0 ? { attachments: message.attachments } : {}),
    ...(message.thread_ts === undefined ? {} : { thread_ts: message.thread_ts }),
    ...(message.metadata !== undefined && options.metadata === true ? { metadata: message.metadata } : {}),
    ...(message.files === undefined ? {} : { files: message.files }),
    ...(message.edits > 0 ? { edited: { user: message.user, ts: message.ts } } : {}),
    ...(byBot
      ? {
          bot_profile: {
            id: BOT_ID,
            name: 'promotion-bot',
            app_id: 'A0PROMOTION',
            team_id: context.directory.teamId,
          },
        }
      : {}),
  };
}
