import type { RedisClient } from '../../store/redis-client.js';

// Slack accepts about one message per second per channel. Every process shares one slot clock per channel,
// kept in Redis, so two workers cannot post into the same channel in the same instant.
// KEYS: slot   ARGV: now ms, interval ms   -> 0 when the caller may post now, else ms to wait
const TAKE_SLOT = `
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local nextFree = tonumber(redis.call('GET', KEYS[1]) or '0')
if nextFree > now then return nextFree - now end
redis.call('SET', KEYS[1], tostring(now + interval), 'PX', interval * 10)
return 0
`;

export function createChannelRate(redis: RedisClient, prefix: string, postsPerSecond: number) {
  // A little slower than the limit: Slack measures its window on arrival, and arrivals jitter.
  const interval = Math.ceil((1000 / postsPerSecond) * 1.05);
  return {
    async waitForSlot(channel: string): Promise<void> {
      for (;;) {
        const wait = Number(
          await redis.eval(
            TAKE_SLOT,
            1,
            `${prefix}:slack:rate:${channel}`,
            String(Date.now()),
            String(interval),
          ),
        );
        if (wait <= 0) return;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    },
  };
}
