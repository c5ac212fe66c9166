import type { EnvironmentStore } from '../engine/ports.js';
import type { Keys } from './keys.js';
import { luaScript } from './lua-script.js';
import { execTransaction, type RedisClient } from './redis-client.js';
import { decodeDeployment, decodeHold, decodeOutlook, decodeRestrictions } from './schema.js';

// One promotion at a time per service and environment: a lock plus a first-come queue. The one that takes it gets
// the deployment running there too (its predecessor), in the same round trip.
// KEYS: lock, queue, deployments   ARGV: promotion id   Reply: {1, head deployment or ''} taken, {0, ''} queued
const ENTER = luaScript(
  'environments_enter',
  `
local holder = redis.call('GET', KEYS[1])
if (not holder) or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1])
  redis.call('LREM', KEYS[2], 0, ARGV[1])
  return {1, redis.call('LINDEX', KEYS[3], 0) or ''}
end
if not redis.call('LPOS', KEYS[2], ARGV[1]) then redis.call('RPUSH', KEYS[2], ARGV[1]) end
return {0, ''}
`,
  3,
);

const LEAVE = luaScript(
  'environments_leave',
  `
redis.call('LREM', KEYS[2], 0, ARGV[1])
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
return redis.call('LINDEX', KEYS[2], 0)
`,
  2,
);

// The sweeper asks this of every service every few seconds: one round trip for all its environments.
// KEYS: each environment's lock and queue, in pairs   Reply: each environment's first in line if it is free, else ''
const STRANDED = luaScript(
  'environments_stranded',
  `
local found = {}
for i = 1, #KEYS, 2 do
  local head = redis.call('LINDEX', KEYS[i + 1], 0)
  if head and redis.call('EXISTS', KEYS[i]) == 0 then found[#found + 1] = head else found[#found + 1] = '' end
end
return found
`,
);

// Deployments are newest first; a promotion appears at most once.
const RECORD = luaScript(
  'environments_record',
  `
local head = redis.call('LINDEX', KEYS[1], 0)
if head and cjson.decode(head).promotionId == ARGV[1] then return 0 end
for _, entry in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  if cjson.decode(entry).promotionId == ARGV[1] then redis.call('LREM', KEYS[1], 0, entry) end
end
redis.call('LPUSH', KEYS[1], ARGV[2])
redis.call('LTRIM', KEYS[1], 0, 49)
return 1
`,
  1,
);

const REVERT = luaScript(
  'environments_revert',
  `
for _, entry in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  if cjson.decode(entry).promotionId == ARGV[1] then redis.call('LREM', KEYS[1], 0, entry) end
end
return 1
`,
  1,
);

// Holds change with their revision, so a decision made on the old ones cannot commit.
// KEYS: holds, holds revision   ARGV: field, hold json
const PLACE_HOLD = luaScript(
  'environments_place_hold',
  `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return redis.call('INCR', KEYS[2])
`,
  2,
);

// ARGV: field, and the placing time of the hold to lift ('' for whichever is there)
const RELEASE_HOLD = luaScript(
  'environments_release_hold',
  `
local hold = redis.call('HGET', KEYS[1], ARGV[1])
if not hold then return 0 end
if ARGV[2] ~= '' and cjson.decode(hold).at ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('INCR', KEYS[2])
return 1
`,
  2,
);

// A dry run's read, in one round trip. Missing values come back as '' (a nil would end Lua's reply table).
// KEYS: holds, bad digests, the version's artifact record, then each environment's deployments
// ARGV: digest ('' for the one the version was published with)
const OUTLOOK = luaScript(
  'environments_outlook',
  `
local record = redis.call('GET', KEYS[3])
local digest = ARGV[1]
if digest == '' and record then digest = cjson.decode(record).digest end
local bad = false
if digest ~= '' then bad = redis.call('HGET', KEYS[2], digest) end
local running = {}
for i = 4, #KEYS do running[#running + 1] = redis.call('LINDEX', KEYS[i], 0) or '' end
return {redis.call('HVALS', KEYS[1]), record or '', bad or '', running}
`,
);

const SERVICE_WIDE = '*';

export function createEnvironmentStore(redis: RedisClient, keys: Keys): EnvironmentStore {
  return {
    async enter(service, environment, promotionId) {
      const [took, head] = (await ENTER(
        redis,
        keys.lock(service, environment),
        keys.queue(service, environment),
        keys.deployments(service, environment),
        promotionId,
      )) as [number, string];
      if (took !== 1) return undefined;
      return { current: head === '' ? undefined : decodeDeployment(head) };
    },

    async leave(service, environment, promotionId) {
      const next = await LEAVE(
        redis,
        keys.lock(service, environment),
        keys.queue(service, environment),
        promotionId,
      );
      return typeof next === 'string' ? next : undefined;
    },

    async stranded(service, environments) {
      if (environments.length === 0) return [];
      const heads = (await STRANDED(
        redis,
        2 * environments.length,
        ...environments.flatMap((environment) => [
          keys.lock(service, environment),
          keys.queue(service, environment),
        ]),
      )) as string[];
      return environments.flatMap((environment, index) => {
        const promotionId = heads[index] ?? '';
        return promotionId === '' ? [] : [{ environment, promotionId }];
      });
    },

    async current(service, environment) {
      const head = await redis.lindex(keys.deployments(service, environment), 0);
      return head === null ? undefined : decodeDeployment(head);
    },

    async record(service, environment, deployment) {
      await RECORD(
        redis,
        keys.deployments(service, environment),
        deployment.promotionId,
        JSON.stringify(deployment),
      );
    },

    async revert(service, environment, promotionId) {
      await REVERT(redis, keys.deployments(service, environment), promotionId);
    },

    async hold(service, environment) {
      const [wide, specific] = await redis.hmget(
        keys.holds(service),
        SERVICE_WIDE,
        environment ?? SERVICE_WIDE,
      );
      const found = specific ?? wide;
      return found == null ? undefined : decodeHold(found);
    },

    async holds(service) {
      return Object.values(await redis.hgetall(keys.holds(service))).map(decodeHold);
    },

    async restrictions(service, digest) {
      const replies = await redis
        .multi()
        .hvals(keys.holds(service))
        .get(keys.holdsRevision(service))
        .hget(keys.bad(service), digest)
        .exec();
      const [holds, revision, bad] = (replies ?? []).map(([error, value]) => {
        if (error) throw error;
        return value;
      }) as [string[], string | null, string | null];
      return decodeRestrictions(holds, revision, bad);
    },

    async outlook(service, environments, version, digest) {
      const reply = await OUTLOOK(
        redis,
        3 + environments.length,
        keys.holds(service),
        keys.bad(service),
        keys.artifact(service, version),
        ...environments.map((environment) => keys.deployments(service, environment)),
        digest ?? '',
      );
      return decodeOutlook(reply);
    },

    async placeHold(service, hold) {
      await PLACE_HOLD(
        redis,
        keys.holds(service),
        keys.holdsRevision(service),
        hold.environment ?? SERVICE_WIDE,
        JSON.stringify(hold),
      );
    },

    async releaseHold(service, environment, placedAt) {
      const released = await RELEASE_HOLD(
        redis,
        keys.holds(service),
        keys.holdsRevision(service),
        environment ?? SERVICE_WIDE,
        placedAt ?? '',
      );
      return released === 1;
    },

    // Quarantine bears on decisions as holds do: it moves the same revision, so one made without it cannot commit.
    async markBad(service, digest, reason) {
      await execTransaction(
        redis.multi().hset(keys.bad(service), digest, reason).incr(keys.holdsRevision(service)),
      );
    },

    async clearBad(service, digest) {
      await execTransaction(redis.multi().hdel(keys.bad(service), digest).incr(keys.holdsRevision(service)));
    },

    async badReason(service, digest) {
      return (await redis.hget(keys.bad(service), digest)) ?? undefined;
    },
  };
}
