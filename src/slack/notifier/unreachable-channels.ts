import { z } from 'zod';
import { luaScript } from '../../store/lua-script.js';
import type { RedisClient } from '../../store/redis-client.js';
import type { SlackKeys } from './slack-keys.js';

// Channels the bot cannot post in, shared by every process: their messages wait (never dropped), and one call
// now and then (the probe) finds out whether a person has fixed it. `WORKSPACE` stands for every channel at
// once: the token or the installation is refused.

export const WORKSPACE = '*';

const Entry = z.object({ code: z.string(), since: z.string(), retryAt: z.number() });
export type UnreachableChannel = z.infer<typeof Entry> & { readonly channel: string };

// KEYS: unreachable   ARGV: channel, entry json -> 1 when it was not marked before
const MARK = luaScript(
  'unreachable_mark',
  `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local entry = cjson.decode(current)
  local fresh = cjson.decode(ARGV[2])
  entry.code = fresh.code
  entry.retryAt = fresh.retryAt
  redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(entry))
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`,
  1,
);

// KEYS: unreachable   ARGV: channel, now, retry ms -> 1 when this caller may try the channel now
const PROBE = luaScript(
  'unreachable_probe',
  `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then return 1 end
local entry = cjson.decode(current)
if entry.retryAt > tonumber(ARGV[2]) then return 0 end
entry.retryAt = tonumber(ARGV[2]) + tonumber(ARGV[3])
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(entry))
return 1
`,
  1,
);

export function createUnreachableChannels(redis: RedisClient, keys: SlackKeys, retryMs: number) {
  return {
    /** Records that the bot cannot post in `channel`; true the first time (so it is said once). */
    async mark(channel: string, code: string): Promise<boolean> {
      const entry = { code, since: new Date().toISOString(), retryAt: Date.now() + retryMs };
      return (await MARK(redis, keys.unreachable, channel, JSON.stringify(entry))) === 1;
    },
    /** True when the channel is fine, or when this caller won the right to try it once more now. */
    async mayTry(channel: string): Promise<boolean> {
      const probe = await PROBE(redis, keys.unreachable, channel, String(Date.now()), String(retryMs));
      return probe === 1;
    },
    async retryAt(channel: string): Promise<number | undefined> {
      const raw = await redis.hget(keys.unreachable, channel);
      return raw ? Entry.parse(JSON.parse(raw)).retryAt : undefined;
    },
    /** Several at once, in one round trip: for each, whether it was marked. */
    async clearAll(...channels: string[]): Promise<boolean[]> {
      const multi = redis.multi();
      for (const channel of channels) multi.hdel(keys.unreachable, channel);
      const replies = (await multi.exec()) ?? [];
      return replies.map(([, removed]) => removed === 1);
    },
    /** The bot can post there again; true when it was marked. */
    async clear(channel: string): Promise<boolean> {
      return (await redis.hdel(keys.unreachable, channel)) === 1;
    },
    async list(): Promise<UnreachableChannel[]> {
      const all = await redis.hgetall(keys.unreachable);
      return Object.entries(all).map(([channel, raw]) => ({ channel, ...Entry.parse(JSON.parse(raw)) }));
    },
  };
}

export type UnreachableChannels = ReturnType<typeof createUnreachableChannels>;
