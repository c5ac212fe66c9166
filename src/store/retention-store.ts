import type { Keys } from './keys.js';
import { luaScript } from './lua-script.js';
import type { RedisClient } from './redis-client.js';

// Removes finished promotions in small batches, each one short script in the service's slot. The promotion that is
// what an environment runs now stays (a /rollback starts from it), and so do the version's artifact record, the
// deployment history, the holds, the quarantined digests and the audit stream. A removed id goes onto the service's
// `retired` list in the same script: its keys in other slots (the id index, Slack state) are deleted afterwards, and
// a crash in between leaves them listed for the next pass, never forgotten.
// KEYS: finished, index, active, outbox, retired, then each environment's deployments, then (promotion, audit) per id
// ARGV: finished-before ms, environments, ids, then the ids
const REMOVE = luaScript(
  'retention_remove',
  `
local environments = tonumber(ARGV[2])
local count = tonumber(ARGV[3])
local running = {}
for i = 1, environments do
  local head = redis.call('LINDEX', KEYS[5 + i], 0)
  if head then running[cjson.decode(head).promotionId] = true end
end
local removed = {}
local gone = {}
for j = 1, count do
  local id = ARGV[3 + j]
  local finished = redis.call('ZSCORE', KEYS[1], id)
  if finished and tonumber(finished) <= tonumber(ARGV[1]) and not running[id]
    and redis.call('SISMEMBER', KEYS[3], id) == 0 then
    local at = 5 + environments + (j - 1) * 2
    redis.call('DEL', KEYS[at + 1], KEYS[at + 2])
    redis.call('ZREM', KEYS[1], id)
    redis.call('ZREM', KEYS[2], id)
    removed[#removed + 1] = id
    gone[id] = true
  end
end
if #removed == 0 then return removed end
local outbox = redis.call('HGETALL', KEYS[4])
for i = 1, #outbox, 2 do
  local ok, entry = pcall(cjson.decode, outbox[i + 1])
  if ok and type(entry) == 'table' and gone[entry.promotionId] then redis.call('HDEL', KEYS[4], outbox[i]) end
end
redis.call('RPUSH', KEYS[5], unpack(removed))
return removed
`,
);

// KEYS: retired   ARGV: ids whose leftovers are deleted
const FORGET = luaScript(
  'retention_forget',
  `
for i = 1, #ARGV do redis.call('LREM', KEYS[1], 0, ARGV[i]) end
return #ARGV
`,
  1,
);

export type RetentionStore = ReturnType<typeof createRetentionStore>;

export function createRetentionStore(redis: RedisClient, keys: Keys) {
  return {
    /**
     * Removes about `batch` (at most `batch` + one per environment) of the service's promotions that finished at or before `finishedBefore` (ms), and
     * returns their ids. Safe beside another process doing the same: the script decides on what it reads itself.
     */
    async removeFinished(
      service: string,
      environments: readonly string[],
      finishedBefore: number,
      batch: number,
    ): Promise<string[]> {
      // A few more than the batch: the promotions environments run now are skipped, and must not stall the rest.
      const candidates = await redis.zrangebyscore(
        keys.finished(service),
        '-inf',
        finishedBefore,
        'LIMIT',
        0,
        batch + environments.length,
      );
      if (candidates.length === 0) return [];
      const ids = candidates;
      const removed = await REMOVE(
        redis,
        5 + environments.length + ids.length * 2,
        keys.finished(service),
        keys.index(service),
        keys.active(service),
        keys.outbox(service),
        keys.retired(service),
        ...environments.map((environment) => keys.deployments(service, environment)),
        ...ids.flatMap((id) => [keys.promotion(service, id), keys.audit(service, id)]),
        String(finishedBefore),
        String(environments.length),
        String(ids.length),
        ...ids,
      );
      return removed as string[];
    },

    /** Removed promotions whose keys in other slots are still to delete (oldest first, at most `batch`). */
    async retired(service: string, batch: number): Promise<string[]> {
      return redis.lrange(keys.retired(service), 0, batch - 1);
    },

    /** The id index of removed promotions, then their place on the retired list. */
    async forget(service: string, ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return;
      // The id index has no hash tag: one key per command, so it works on a Cluster too.
      await Promise.all(ids.map((id) => redis.unlink(keys.promotionService(id))));
      await FORGET(redis, keys.retired(service), ...ids);
    },

    /**
     * Trims the service's audit stream to what is younger than `retentionMs` by Redis time (its ids are Redis
     * time): whole nodes at a time first, so no call removes much, then exactly. Returns how many went.
     */
    async trimAudit(service: string, retentionMs: number): Promise<number> {
      const [seconds, micros] = await redis.time();
      const minId = Math.max(0, Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - retentionMs);
      const key = keys.auditLog(service);
      let trimmed = 0;
      for (let round = 0; round < 100; round++) {
        const removed = await redis.xtrim(key, 'MINID', '~', minId, 'LIMIT', 1000);
        trimmed += removed;
        if (removed === 0) break;
      }
      return trimmed + (await redis.xtrim(key, 'MINID', '=', minId));
    },
  };
}
