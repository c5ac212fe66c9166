// conversations.info, conversations.open, conversations.history and conversations.replies, with the arguments
// and errors of their docs.slack.dev/reference/methods pages: history newest first (`limit` default 100, at most
// 999; `oldest`/`latest` exclusive unless `inclusive`), replies oldest first with the parent (`limit` default
// 1000), both paged by `cursor` (`response_metadata.next_cursor`, Slack's base64 of `next_ts:<ts>`), message
// metadata only with `include_all_metadata`. The bot must be in the channel to read it (`not_in_channel`).

import { dmChannelOf } from '../directory.js';
import { compareTs } from '../message-store.js';
import type { Payload, StoredMessage } from '../types.js';
import { toSlackMessage } from './chat.js';
import {
  failure,
  type MethodContext,
  type MethodHandler,
  readableChannel,
  stringArg,
  visibleChannel,
} from './context.js';

export const info: MethodHandler = (args, context) => {
  const lookup = visibleChannel(args.channel, context);
  if ('error' in lookup) return lookup.error;
  const { channel } = lookup;
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
  const lookup = readableChannel(args.channel, context);
  if ('error' in lookup) return lookup.error;
  const range = rangeOf(args);
  if ('error' in range) return range.error;
  const newestFirst = context.messages.topLevel(lookup.channel.id).reverse();
  const inRange = newestFirst.filter((m) => within(m.ts, range));
  const cursor = cursorTs(args);
  if (cursor === null) return failure('invalid_cursor');
  const from = cursor === undefined ? inRange : inRange.filter((m) => compareTs(m.ts, cursor) <= 0);
  return page(from, limitOf(args, 100, 999), args, context);
};

export const replies: MethodHandler = (args, context) => {
  const lookup = readableChannel(args.channel, context);
  if ('error' in lookup) return lookup.error;
  const channel = lookup.channel.id;
  const ts = stringArg(args, 'ts');
  const asked = ts ? context.messages.get(channel, ts) : undefined;
  const threadTs = asked?.thread_ts ?? asked?.ts;
  const parent = threadTs ? context.messages.get(channel, threadTs) : undefined;
  if (!threadTs) return failure('thread_not_found');
  const range = rangeOf(args);
  if ('error' in range) return range.error;
  const thread = [...(parent ? [parent] : []), ...context.messages.replies(channel, threadTs)];
  const inRange = thread.filter((m) => m.ts === threadTs || within(m.ts, range));
  const cursor = cursorTs(args);
  if (cursor === null) return failure('invalid_cursor');
  const from = cursor === undefined ? inRange : inRange.filter((m) => compareTs(m.ts, cursor) >= 0);
  return page(from, limitOf(args, 1000, 1000), args, context);
};

type Range = { oldest?: string; latest?: string; inclusive: boolean };

function rangeOf(args: Payload): Range | { error: Payload } {
  const oldest = tsArg(args.oldest);
  const latest = tsArg(args.latest);
  if (oldest === null) return { error: failure('invalid_ts_oldest') };
  if (latest === null) return { error: failure('invalid_ts_latest') };
  return {
    ...(oldest === undefined ? {} : { oldest }),
    ...(latest === undefined ? {} : { latest }),
    inclusive: isTrue(args.inclusive),
  };
}

function within(ts: string, range: Range): boolean {
  const afterOldest = range.oldest === undefined || compareTs(ts, range.oldest) > (range.inclusive ? -1 : 0);
  const beforeLatest = range.latest === undefined || compareTs(ts, range.latest) < (range.inclusive ? 1 : 0);
  return afterOldest && beforeLatest;
}

function page(messages: StoredMessage[], limit: number, args: Payload, context: MethodContext): Payload {
  const shown = messages.slice(0, limit);
  const next = messages[limit];
  const metadata = isTrue(args.include_all_metadata);
  return {
    ok: true,
    messages: shown.map((m) => toSlackMessage(m, context, { metadata })),
    has_more: next !== undefined,
    response_metadata: {
      next_cursor: next === undefined ? '' : Buffer.from(`next_ts:${next.ts}`).toString('base64'),
    },
  };
}

function limitOf(args: Payload, fallback: number, max: number): number {
  const limit = Number(args.limit);
  return Number.isInteger(limit) && limit > 0 ? Math.min(limit, max) : fallback;
}

/** The ts a cursor points at; undefined without one, null for a cursor Slack did not issue. */
function cursorTs(args: Payload): string | undefined | null {
  const cursor = stringArg(args, 'cursor');
  if (cursor === undefined) return undefined;
  const match = /^next_ts:(\d+\.\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match?.[1] ?? null;
}

/** A Slack timestamp argument (`1700000000.000100` or whole seconds); null when it is not one. */
function tsArg(value: unknown): string | undefined | null {
  if (value === undefined || value === '') return undefined;
  const text = String(value);
  return /^\d+(\.\d+)?$/.test(text) ? text : null;
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}
