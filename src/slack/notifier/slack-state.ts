import { z } from 'zod';
import type { Notice } from '../../domain/events.js';
import type { RedisClient } from '../../store/redis-client.js';

const Messages = z.object({
  channel: z.string().optional(),
  parentTs: z.string().optional(),
  gateTs: z.string().optional(),
  /** The rollback notice in the alert channel, under which the metric chart goes. */
  alertTs: z.string().optional(),
  /** How many messages of the first pending notice Slack has taken (a notice may post two). */
  headSent: z.string().optional(),
  /** Set while the parent message may be behind the notices already delivered: its edit has not gone out yet. */
  parentStale: z.string().optional(),
});
export type PromotionMessages = z.infer<typeof Messages>;

const PendingNotice = z.looseObject({ kind: z.string() });

/** Where a promotion's Slack messages are, and the notices still to deliver, in order. */
export function createSlackState(redis: RedisClient, prefix: string) {
  const messagesKey = (id: string) => `${prefix}:slack:messages:${id}`;
  const pendingKey = (id: string) => `${prefix}:slack:pending:${id}`;
  const TTL_SECONDS = 30 * 24 * 3600;

  return {
    async get(id: string): Promise<PromotionMessages> {
      return Messages.parse(await redis.hgetall(messagesKey(id)));
    },
    async set(id: string, fields: Partial<Record<keyof PromotionMessages, string>>): Promise<void> {
      await redis.hset(messagesKey(id), fields);
      await redis.expire(messagesKey(id), TTL_SECONDS);
    },
    async unset(id: string, field: keyof PromotionMessages): Promise<void> {
      await redis.hdel(messagesKey(id), field);
    },
    async push(id: string, notice: Notice): Promise<void> {
      await redis.rpush(pendingKey(id), JSON.stringify(notice));
    },
    async pending(id: string): Promise<Notice[]> {
      const items = await redis.lrange(pendingKey(id), 0, -1);
      return items.map((item) => PendingNotice.parse(JSON.parse(item)) as Notice);
    },
    async pendingCount(id: string): Promise<number> {
      return redis.llen(pendingKey(id));
    },
    /**
     * Drops delivered notices and the progress within the first one. The progress goes first: a crash between
     * the two sends a notice twice rather than skip part of the next one.
     */
    async dropPending(id: string, count: number): Promise<void> {
      await redis.hdel(messagesKey(id), 'headSent');
      await redis.ltrim(pendingKey(id), count, -1);
    },
  };
}

export type SlackState = ReturnType<typeof createSlackState>;
