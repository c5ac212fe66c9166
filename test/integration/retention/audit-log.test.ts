import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../src/domain/audit.js';
import {
  type AuditPosition,
  compareAuditPositions,
  parseAuditId,
  parseAuditSince,
} from '../../../src/domain/audit-position.js';
import type { Promotion } from '../../../src/domain/promotion.js';
import { type AuditRecord, auditEntryOf, createAuditLog } from '../../../src/store/audit-log.js';
import { createKeys } from '../../../src/store/keys.js';
import { createPromotionStore } from '../../../src/store/promotion-store.js';
import { createRetentionStore } from '../../../src/store/retention-store.js';
import { connectTestRedis, uniquePrefix } from '../../support/redis.js';
import { waitFor } from '../../support/wait-for.js';
import { published } from '../store/store-fixtures.js';

// The services' audit streams: every entry the per-promotion trail gets, merged oldest first across services,
// resumable after any entry, and trimmed at AUDIT_RETENTION by Redis time.

let redis: Redis;
let keys: ReturnType<typeof createKeys>;

beforeEach(() => {
  redis = connectTestRedis();
  keys = createKeys(uniquePrefix('audit'));
});

afterEach(async () => {
  await redis.quit();
});

function promotionOf(service: string): Promotion {
  const { promotion } = published();
  return { ...promotion, artifact: { ...promotion.artifact, service } };
}

const entry = (n: number): AuditEntry => ({
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  type: 'refused',
  status: 'running',
  phase: 'deploying',
  detail: { n },
});

async function all(read: AsyncGenerator<AuditRecord[]>): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  for await (const page of read) records.push(...page);
  return records;
}

async function redisNow(): Promise<number> {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

/** Until Redis's clock has moved past the last entry written, so a read includes it. */
async function settled(): Promise<void> {
  const last = await redisNow();
  await waitFor('the Redis clock to move on', async () => ((await redisNow()) > last ? true : undefined));
}

describe('the audit log', () => {
  it('merges the services oldest first, a page at a time, and resumes after any entry with nothing twice', async () => {
    const store = createPromotionStore(redis, keys);
    const services = ['alpha', 'checkout', 'zeta'];
    const promotions = services.map(promotionOf);
    for (let n = 0; n < 30; n++) {
      const promotion = promotions[n % 3] as Promotion;
      await store.appendAudit(promotion, entry(n));
    }
    await settled();
    const log = createAuditLog(redis, keys, { pageSize: 4 });

    const records = await all(log.read(services, { kind: 'start' }));

    // Oldest first by Redis time; within one millisecond, by each stream's sequence, then by service.
    expect(records).toHaveLength(30);
    const positions = records.map((record) => parseAuditId(record.id) as AuditPosition);
    expect([...positions].sort(compareAuditPositions)).toEqual(positions);
    for (const [index, name] of services.entries()) {
      const own = records.filter((record) => record.service === name);
      expect(own.map((record) => auditEntryOf(record).detail?.n)).toEqual(
        Array.from({ length: 10 }, (_, n) => n * 3 + index),
      );
      expect(own.every((record) => record.promotionId === promotions[index]?.id)).toBe(true);
    }
    for (const cut of [0, 7, 13, 29]) {
      const since = parseAuditSince(records[cut]?.id);
      if (!since.ok) throw new Error(since.message);
      const rest = await all(log.read(services, since.since));
      expect(rest).toEqual(records.slice(cut + 1));
    }
    const checkout = await all(log.read(['checkout'], { kind: 'start' }));
    expect(checkout).toEqual(records.filter((record) => record.service === 'checkout'));
  });

  it('merges hundreds of services oldest first, each in its own order, refilling small pages as it goes', async () => {
    const store = createPromotionStore(redis, keys);
    const services = Array.from({ length: 400 }, (_, n) => `svc-${String(n).padStart(3, '0')}`);
    const promotions = services.map(promotionOf);
    // Four rounds over every service, each round in a shuffled order, so the streams interleave.
    for (let round = 0; round < 4; round++) {
      const order = [...promotions.keys()].sort(() => Math.random() - 0.5);
      await Promise.all(order.map((at) => store.appendAudit(promotions[at] as Promotion, entry(round))));
    }
    await settled();
    const log = createAuditLog(redis, keys, { pageSize: 3 });

    const records = await all(log.read(services, { kind: 'start' }));

    expect(records).toHaveLength(1600);
    const positions = records.map((record) => parseAuditId(record.id) as AuditPosition);
    expect([...positions].sort(compareAuditPositions)).toEqual(positions);
    for (const name of services) {
      const own = records.filter((record) => record.service === name);
      expect(own.map((record) => auditEntryOf(record).detail?.n)).toEqual([0, 1, 2, 3]);
    }
  });

  it('starts at a time, inclusive', async () => {
    const store = createPromotionStore(redis, keys);
    const promotion = promotionOf('checkout');
    await store.appendAudit(promotion, entry(1));
    await settled();
    const from = await redisNow();
    await store.appendAudit(promotion, entry(2));
    await settled();

    const records = await all(createAuditLog(redis, keys).read(['checkout'], { kind: 'time', ms: from }));

    expect(records.map(auditEntryOf)).toEqual([entry(2)]);
  });

  it('holds every entry of every promotion trail, created and committed ones too', async () => {
    const store = createPromotionStore(redis, keys);
    const fresh = published('7.0.0');
    await store.create(fresh.promotion, fresh.audit, fresh.outbox);
    await store.appendAudit(fresh.promotion, entry(1));
    await settled();

    const records = await all(createAuditLog(redis, keys).read(['checkout'], { kind: 'start' }));

    expect(records.map(auditEntryOf)).toEqual(await store.events(fresh.promotion.id));
    expect(records.every((record) => record.promotionId === fresh.promotion.id)).toBe(true);
  });

  it('is trimmed at AUDIT_RETENTION, exactly, by the retention pass', async () => {
    const retentionMs = 300;
    const store = createPromotionStore(redis, keys, { auditRetentionMs: retentionMs });
    const promotion = promotionOf('checkout');
    for (let n = 0; n < 250; n++) await store.appendAudit(promotion, entry(n));
    const oldest = await redisNow();
    await waitFor('the first entries to pass the audit retention', async () =>
      (await redisNow()) > oldest + retentionMs ? true : undefined,
    );
    // Writing trims too, but only whole nodes of the stream: what is left past the retention, the pass takes.
    await store.appendAudit(promotion, entry(1000));
    expect(await redis.xlen(keys.auditLog('checkout'))).toBeGreaterThan(1);

    const trimmed = await createRetentionStore(redis, keys).trimAudit('checkout', retentionMs);

    expect(trimmed).toBeGreaterThan(0);
    const left = await redis.xrange(keys.auditLog('checkout'), '-', '+');
    expect(left.map(([, fields]) => JSON.parse(fields[3] ?? '').detail.n)).toEqual([1000]);
  });
});
