import type { AuditEntry } from '../domain/audit.js';
import type { Promotion } from '../domain/promotion.js';
import { isTerminal } from '../domain/promotion-view.js';
import type {
  CreateResult,
  OutboxEntry,
  PromotionStore,
  Snapshot,
  StoredPromotion,
} from '../engine/ports.js';
import type { Keys } from './keys.js';
import { luaScript } from './lua-script.js';
import type { RedisClient } from './redis-client.js';
import {
  ArtifactRecord,
  decodeAudit,
  decodeOutboxEntry,
  decodePromotion,
  decodeRestrictions,
} from './schema.js';

// Appends to the service's audit stream (ids are Redis time), trimming what is older than the audit retention
// (`~`: whole nodes only, so it stays cheap; the retention pass trims exactly). Shared by the scripts below.
const AUDIT_LOG = `
local function logAudit(key, retentionMs, id, entry)
  local now = redis.call('TIME')
  local minid = math.max(0, tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) - tonumber(retentionMs))
  redis.call('XADD', key, 'MINID', '~', string.format('%.0f', minid), '*', 'promotion', id, 'entry', entry)
end
`;

// Creation checks the artifact's immutability and writes everything in one script. The digest is kept beside the
// promotion so the snapshot script can look up its quarantine without decoding it.
// KEYS: artifact, promotion, audit, outbox, index, active, holds revision, audit log, finished
// ARGV: digest, id, promotion json, audit json, createdAt ms, active flag, mode ('replace' re-creates a finished
// promotion's artifact), holds revision decided on ('' for any), audit retention ms, finished at ms, then
// (outbox id, json) pairs
const CREATE = luaScript(
  'promotions_create',
  `${AUDIT_LOG}
local existing = redis.call('GET', KEYS[1])
if existing then
  local record = cjson.decode(existing)
  if record.digest ~= ARGV[1] then return {'conflict', record.promotionId, record.digest} end
  if ARGV[7] ~= 'replace' or redis.call('SISMEMBER', KEYS[6], record.promotionId) == 1 then
    return {'existing', record.promotionId}
  end
end
if ARGV[8] ~= '' and (redis.call('GET', KEYS[7]) or '0') ~= ARGV[8] then return {'stale'} end
redis.call('SET', KEYS[1], cjson.encode({digest = ARGV[1], promotionId = ARGV[2]}))
redis.call('HSET', KEYS[2], 'data', ARGV[3], 'revision', '0', 'digest', ARGV[1])
redis.call('RPUSH', KEYS[3], ARGV[4])
logAudit(KEYS[8], ARGV[9], ARGV[2], ARGV[4])
redis.call('ZADD', KEYS[5], ARGV[5], ARGV[2])
if ARGV[6] == '1' then redis.call('SADD', KEYS[6], ARGV[2]) else redis.call('ZADD', KEYS[9], ARGV[10], ARGV[2]) end
for i = 11, #ARGV, 2 do redis.call('HSET', KEYS[4], ARGV[i], ARGV[i + 1]) end
return {'created', ARGV[2]}
`,
  9,
);

// Compare-and-set on the revision (and on the holds the decision read): the one place a promotion changes.
// KEYS: promotion, audit, outbox, active, holds revision, audit log, finished
// ARGV: expected revision, json, id, active flag, audit json, holds revision ('' for any), audit retention ms,
// finished at ms, outbox pairs
const COMMIT = luaScript(
  'promotions_commit',
  `${AUDIT_LOG}
if redis.call('HGET', KEYS[1], 'revision') ~= ARGV[1] then return 0 end
if ARGV[6] ~= '' and (redis.call('GET', KEYS[5]) or '0') ~= ARGV[6] then return 0 end
redis.call('HSET', KEYS[1], 'data', ARGV[2], 'revision', tostring(tonumber(ARGV[1]) + 1))
redis.call('RPUSH', KEYS[2], ARGV[5])
logAudit(KEYS[6], ARGV[7], ARGV[3], ARGV[5])
if ARGV[4] == '1' then
  redis.call('SADD', KEYS[4], ARGV[3])
  redis.call('ZREM', KEYS[7], ARGV[3])
else
  redis.call('SREM', KEYS[4], ARGV[3])
  redis.call('ZADD', KEYS[7], ARGV[8], ARGV[3])
end
for i = 9, #ARGV, 2 do redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1]) end
return 1
`,
  7,
);

// An audit entry outside a transition (a refusal): into the promotion's list and the service's stream together.
// KEYS: audit, audit log   ARGV: id, audit json, audit retention ms
const APPEND_AUDIT = luaScript(
  'promotions_append_audit',
  `${AUDIT_LOG}
redis.call('RPUSH', KEYS[1], ARGV[2])
logAudit(KEYS[2], ARGV[3], ARGV[1], ARGV[2])
return 1
`,
  2,
);

// A promotion with the holds and quarantine that bear on it, in one round trip.
// KEYS: promotion, holds, holds revision, bad digests
const SNAPSHOT = luaScript(
  'promotions_snapshot',
  `
local found = redis.call('HMGET', KEYS[1], 'data', 'revision', 'digest')
if not found[1] then return false end
local digest = found[3] or cjson.decode(found[1]).artifact.digest
local bad = redis.call('HGET', KEYS[4], digest) or ''
return {found[1], found[2], redis.call('GET', KEYS[3]) or '0', bad, redis.call('HVALS', KEYS[2])}
`,
  4,
);

/** AUDIT_RETENTION's default: 400 days. */
export const DEFAULT_AUDIT_RETENTION_MS = 400 * 24 * 3600 * 1000;

export type PromotionStoreOptions = { readonly auditRetentionMs?: number };

/** When a terminal promotion finished, for the retention index ('' while it is active). */
function finishedAt(promotion: Promotion): string {
  return isTerminal(promotion) ? String(Date.parse(promotion.updatedAt)) : '';
}

export function createPromotionStore(
  redis: RedisClient,
  keys: Keys,
  options: PromotionStoreOptions = {},
): PromotionStore {
  const auditRetention = String(options.auditRetentionMs ?? DEFAULT_AUDIT_RETENTION_MS);
  const outboxArgs = (effects: readonly OutboxEntry[]) =>
    effects.flatMap((entry) => [entry.id, JSON.stringify(entry)]);

  // A promotion's service never changes: remember it rather than ask Redis on every read.
  const services = new Map<string, string>();
  function remember(id: string, service: string): void {
    if (services.size >= 10_000) services.clear();
    services.set(id, service);
  }
  async function serviceOf(id: string): Promise<string | undefined> {
    const known = services.get(id);
    if (known) return known;
    const service = await redis.get(keys.promotionService(id));
    if (service) remember(id, service);
    return service ?? undefined;
  }

  async function read(service: string, id: string): Promise<StoredPromotion | undefined> {
    const [data, revision] = await redis.hmget(keys.promotion(service, id), 'data', 'revision');
    if (data == null || revision == null) return undefined;
    return { promotion: decodePromotion(data), revision: Number(revision) };
  }

  async function readMany(service: string, ids: readonly string[]): Promise<Promotion[]> {
    const found = await Promise.all(ids.map((id) => read(service, id)));
    return found.flatMap((stored) => (stored ? [stored.promotion] : []));
  }

  return {
    async create(promotion, audit, effects, options = {}) {
      const { service, version, digest } = promotion.artifact;
      // The id -> service index lives in another cluster slot, so it cannot join the script. It is written
      // first: a crash after the script then leaves a promotion that can still be found by its id.
      await redis.set(keys.promotionService(promotion.id), service);
      const reply = (await CREATE(
        redis,
        keys.artifact(service, version),
        keys.promotion(service, promotion.id),
        keys.audit(service, promotion.id),
        keys.outbox(service),
        keys.index(service),
        keys.active(service),
        keys.holdsRevision(service),
        keys.auditLog(service),
        keys.finished(service),
        digest,
        promotion.id,
        JSON.stringify(promotion),
        JSON.stringify(audit),
        String(Date.parse(promotion.createdAt)),
        isTerminal(promotion) ? '0' : '1',
        options.replace ? 'replace' : 'publish',
        options.holdsRevision ?? '',
        auditRetention,
        finishedAt(promotion),
        ...outboxArgs(effects),
      )) as string[];
      const [kind, promotionId = '', otherDigest = ''] = reply;
      if (kind === 'stale') {
        await redis.del(keys.promotionService(promotion.id));
        return { kind };
      }
      if (kind !== 'created') {
        await redis.del(keys.promotionService(promotion.id));
        await redis.set(keys.promotionService(promotionId), service);
      }
      if (kind === 'conflict') return { kind, digest: otherDigest, promotionId };
      // What the script wrote is what it was given: no need to read it back.
      if (kind === 'created') {
        remember(promotion.id, service);
        return { kind, promotion };
      }
      const stored = await read(service, promotionId);
      // The identical artifact, published long ago: its promotion was removed by retention, its record stays.
      if (!stored) return { kind: 'removed', promotionId };
      return { kind: 'existing', promotion: stored.promotion } satisfies CreateResult;
    },

    async get(id) {
      const service = await serviceOf(id);
      return service ? read(service, id) : undefined;
    },

    async snapshot(id): Promise<Snapshot | undefined> {
      const service = await serviceOf(id);
      if (!service) return undefined;
      const reply = (await SNAPSHOT(
        redis,
        keys.promotion(service, id),
        keys.holds(service),
        keys.holdsRevision(service),
        keys.bad(service),
      )) as [string, string, string, string, string[]] | null;
      if (!reply) return undefined;
      const [data, revision, holdsRevision, bad, holds] = reply;
      return {
        promotion: decodePromotion(data),
        revision: Number(revision),
        ...decodeRestrictions(holds, holdsRevision, bad),
      };
    },

    async commit(expected, next, audit, effects) {
      const { service } = next.artifact;
      const done = await COMMIT(
        redis,
        keys.promotion(service, next.id),
        keys.audit(service, next.id),
        keys.outbox(service),
        keys.active(service),
        keys.holdsRevision(service),
        keys.auditLog(service),
        keys.finished(service),
        String(expected.revision),
        JSON.stringify(next),
        next.id,
        isTerminal(next) ? '0' : '1',
        JSON.stringify(audit),
        expected.holdsRevision ?? '',
        auditRetention,
        finishedAt(next),
        ...outboxArgs(effects),
      );
      return done === 1;
    },

    async list(service, limit) {
      return readMany(service, await redis.zrevrange(keys.index(service), 0, limit - 1));
    },

    async active(service) {
      const promotions = await readMany(service, await redis.smembers(keys.active(service)));
      return promotions.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },

    async findByVersion(service, version) {
      const record = await redis.get(keys.artifact(service, version));
      if (!record) return undefined;
      const { digest, promotionId } = ArtifactRecord.parse(JSON.parse(record));
      const stored = await read(service, promotionId);
      return stored ? stored.promotion : { removed: true, promotionId, digest };
    },

    async events(id) {
      const service = await serviceOf(id);
      if (!service) return [];
      return (await redis.lrange(keys.audit(service, id), 0, -1)).map(decodeAudit);
    },

    async appendAudit(promotion, audit: AuditEntry) {
      const { service } = promotion.artifact;
      await APPEND_AUDIT(
        redis,
        keys.audit(service, promotion.id),
        keys.auditLog(service),
        promotion.id,
        JSON.stringify(audit),
        auditRetention,
      );
    },

    async pendingEffects(service) {
      const entries = Object.values(await redis.hgetall(keys.outbox(service))).map(decodeOutboxEntry);
      return entries.sort(
        (a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id, 'en', { numeric: true }),
      );
    },

    async completeEffects(service, entryIds) {
      if (entryIds.length > 0) await redis.hdel(keys.outbox(service), ...entryIds);
    },
  };
}
