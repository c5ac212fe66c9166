import { randomUUID } from 'node:crypto';
import { luaScript } from '../../store/lua-script.js';
import type { RedisClient } from '../../store/redis-client.js';
import { budgetOf } from './method-limits.js';

// Every process asks here before it calls Slack, so the whole fleet keeps to Slack's limits together:
// a pause Slack asked for (Retry-After), the method's calls in the last minute (its tier), and, for
// chat.postMessage, one slot per channel about every second. Nothing here sleeps: a caller told to wait
// puts the work back and comes back then.
// KEYS: pause, minute window, channel slot   ARGV: now ms, window ms, budget, slot interval ms (0: none), member
// -> 0 when the call may go now (and it is counted), else ms to wait
const ACQUIRE = luaScript(
  'pacing_acquire',
  `
local now = tonumber(ARGV[1])
local pause = redis.call('PTTL', KEYS[1])
if pause > 0 then return pause end
local window = tonumber(ARGV[2])
local budget = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[2])
if count >= budget then
  local entry = redis.call('ZRANGE', KEYS[2], count - budget, count - budget, 'WITHSCORES')
  return math.max(1, tonumber(entry[2]) + window - now)
end
local interval = tonumber(ARGV[4])
if interval > 0 then
  local nextFree = tonumber(redis.call('GET', KEYS[3]) or '0')
  if nextFree > now then return nextFree - now end
  redis.call('SET', KEYS[3], tostring(now + interval), 'PX', interval * 10)
end
redis.call('ZADD', KEYS[2], now, ARGV[5])
redis.call('PEXPIRE', KEYS[2], window)
return 0
`,
  3,
);

const WINDOW_MS = 60_000;

/** The sorted set of a method's calls in the last minute, workspace-wide: what its tier budget is counted in. */
export function callWindowKey(tag: string, method: string): string {
  return `${tag}:calls:${method}`;
}

export type CallPermit = {
  readonly method: string;
  /** For chat.postMessage: the channel, whose one-a-second slot it takes. */
  readonly channel?: string;
  /** What people wait on (a gate, a failure): may use the part of the budget routine updates may not. */
  readonly urgent: boolean;
};

export function createPacing(redis: RedisClient, tag: string, postsPerSecondPerChannel: number) {
  // A little slower than the limit: Slack measures its window on arrival, and arrivals jitter.
  const slotMs = Math.ceil((1000 / postsPerSecondPerChannel) * 1.05);
  const pauseKey = (method: string, channel?: string) =>
    method === 'chat.postMessage' && channel ? `${tag}:pause:${method}:${channel}` : `${tag}:pause:${method}`;

  return {
    /** 0 when the call may go now (it is counted against the budgets), else milliseconds to wait. */
    async acquire(permit: CallPermit): Promise<number> {
      const perChannel = permit.method === 'chat.postMessage' && permit.channel !== undefined;
      const now = Date.now();
      return Number(
        await ACQUIRE(
          redis,
          pauseKey(permit.method, permit.channel),
          callWindowKey(tag, permit.method),
          `${tag}:slot:${permit.channel ?? '-'}`,
          String(now),
          String(WINDOW_MS),
          String(budgetOf(permit.method, permit.urgent)),
          String(perChannel ? slotMs : 0),
          `${now}-${randomUUID()}`,
        ),
      );
    },
    /** Slack answered 429 with Retry-After: nobody calls this method (for posts: in this channel) until then. */
    async pause(method: string, channel: string | undefined, ms: number): Promise<void> {
      await redis.set(pauseKey(method, channel), '1', 'PX', Math.max(1, Math.ceil(ms)));
    },
  };
}

export type Pacing = ReturnType<typeof createPacing>;
