import { z } from 'zod';
import { luaScript } from '../../store/lua-script.js';
import type { RedisClient } from '../../store/redis-client.js';
import type { PendingNotice } from './lanes.js';
import type { SlackKeys } from './slack-keys.js';

const Messages = z.object({
  channel: z.string().optional(),
  parentTs: z.string().optional(),
  gateTs: z.string().optional(),
  /** The rollback notice in the alert channel, under which the metric chart goes. */
  alertTs: z.string().optional(),
  /** The question about missing data in the alert channel, edited once it is answered. */
  questionTs: z.string().optional(),
  /** How many messages of the first pending notice Slack has taken (a notice may post two). */
  headSent: z.string().optional(),
  /** Set while the parent message may be behind the notices already delivered: its edit has not gone out yet. */
  parentStale: z.string().optional(),
  /** Set when Slack said the parent is gone: it is posted again before anything else. */
  parentGone: z.string().optional(),
  /** Likewise for the gate: posted again at its next change. */
  gateGone: z.string().optional(),
  /** How many times the parent / the gate was posted (each post has its own key in its metadata). */
  parentPosts: z.string().optional(),
  gatePosts: z.string().optional(),
  /**
   * The key of the last post tried, and when (`key@ms`): if that post is tried again, it may have reached Slack
   * without its answer reaching us (a crash, a timeout), so the channel is looked at first.
   */
  posting: z.string().optional(),
  /** Failures of our own (not Slack's) in a row: past a few, the promotion's notices are set aside. */
  errors: z.string().optional(),
  /** Transient failures in a row, for the backoff. */
  failures: z.string().optional(),
  /** The channel it waits on (the bot is not in it). */
  blockedOn: z.string().optional(),
  seq: z.string().optional(),
});
export type PromotionMessages = z.infer<typeof Messages>;

const Entry = z.object({ seq: z.number().int(), notice: z.looseObject({ kind: z.string() }) });

const TTL_SECONDS = 30 * 24 * 3600;

// KEYS: messages   ARGV: field, ttl seconds -> the new count (with the hash's expiry: it may be new by now)
const COUNT = luaScript(
  'slack_state_count',
  `
local counted = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('EXPIRE', KEYS[1], ARGV[2])
return counted
`,
  1,
);

/** Where a promotion's Slack messages are, and the notices still to deliver, in order. */
export function createSlackState(redis: RedisClient, keys: SlackKeys) {
  return {
    async get(id: string): Promise<PromotionMessages> {
      return Messages.parse(await redis.hgetall(keys.messages(id)));
    },
    async set(id: string, fields: Partial<Record<keyof PromotionMessages, string>>): Promise<void> {
      await redis.hset(keys.messages(id), fields);
      await redis.expire(keys.messages(id), TTL_SECONDS);
    },
    /** Counts one more of `field` (failures in a row), with the hash's expiry: it may be new by now. */
    async count(id: string, field: 'failures' | 'errors'): Promise<number> {
      return Number(await COUNT(redis, keys.messages(id), field, TTL_SECONDS));
    },
    async unset(id: string, ...fields: Array<keyof PromotionMessages>): Promise<void> {
      await redis.hdel(keys.messages(id), ...fields);
    },
    /** Sets some fields and removes others in one step: a crash leaves all of it or none. */
    async commit(
      id: string,
      fields: Partial<Record<keyof PromotionMessages, string>>,
      remove: ReadonlyArray<keyof PromotionMessages>,
    ): Promise<void> {
      const multi = redis.multi().hset(keys.messages(id), fields);
      if (remove.length > 0) multi.hdel(keys.messages(id), ...remove);
      await multi.expire(keys.messages(id), TTL_SECONDS).exec();
    },
    async pending(id: string): Promise<PendingNotice[]> {
      const items = await redis.lrange(keys.pending(id), 0, -1);
      return items.map((item) => Entry.parse(JSON.parse(item)) as PendingNotice);
    },
    async pendingCount(id: string): Promise<number> {
      return redis.llen(keys.pending(id));
    },
    /** Drops delivered notices and the progress within the first one, together. */
    /** Returns how many are still pending: notices recorded meanwhile. */
    async dropPending(id: string, count: number): Promise<number> {
      const replies = await redis
        .multi()
        .hdel(keys.messages(id), 'headSent')
        .ltrim(keys.pending(id), count, -1)
        .llen(keys.pending(id))
        .exec();
      return Number(replies?.[2]?.[1] ?? 0);
    },
  };
}

export type SlackState = ReturnType<typeof createSlackState>;
