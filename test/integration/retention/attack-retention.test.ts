import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Service } from '../../../src/domain/pipeline.js';
import type { Promotion } from '../../../src/domain/promotion.js';
import type { Clock } from '../../../src/engine/ports.js';
import { createLogger } from '../../../src/logger.js';
import { createRetentionPass } from '../../../src/retention/retention-pass.js';
import { createEnvironmentStore } from '../../../src/store/environment-store.js';
import { createKeys } from '../../../src/store/keys.js';
import { createPromotionStore } from '../../../src/store/promotion-store.js';
import { createRetentionBackfill } from '../../../src/store/retention-backfill.js';
import { createRetentionStore } from '../../../src/store/retention-store.js';
import { createServiceRegistry } from '../../../src/store/service-registry.js';
import { anEnvironment, aProduction, aService } from '../../support/pipeline-builder.js';
import { type RedisServer, startRedisServer } from '../../support/redis-server.js';
import { entered, published, service, superseded } from '../store/store-fixtures.js';

// Attacks on the retention pass: what it must never remove, whatever the pipeline file says now and however far
// the one-time walk over the keyspace has got. A Redis of its own, so a SCAN page walks only these keys.

const DAY = 24 * 3600 * 1000;
const RETENTION = 90 * DAY;
const log = createLogger({ level: 'silent' });
const prefix = 'attack';
const keys = createKeys(prefix);

let server: RedisServer;
let redis: Redis;
let promotions: ReturnType<typeof createPromotionStore>;
let environments: ReturnType<typeof createEnvironmentStore>;
let now: number;
const clock: Clock = { now: () => new Date(now) };

beforeAll(async () => {
  server = await startRedisServer();
});

afterAll(async () => {
  await server.stop();
});

beforeEach(async () => {
  redis = new Redis(server.url, { maxRetriesPerRequest: null });
  await redis.flushall();
  // Long before anything here finished: a pass removes nothing until a test moves the clock on.
  now = 0;
  promotions = createPromotionStore(redis, keys);
  environments = createEnvironmentStore(redis, keys);
});

afterEach(async () => {
  await redis.quit();
});

type PassOptions = {
  readonly scanCount?: number;
  readonly backfillPages?: number;
  readonly auditRetentionMs?: number;
};

/** A worker's pass whose pipeline file names `inPipeline`. */
function pass(inPipeline: readonly Service[], options: PassOptions = {}) {
  const registry = createServiceRegistry(redis, keys);
  return createRetentionPass({
    pipeline: { services: new Map(inPipeline.map((one) => [one.name, one])) },
    store: createRetentionStore(redis, keys),
    registry,
    backfill: createRetentionBackfill(redis, keys, registry, options.scanCount),
    forget: [],
    queues: [],
    clock,
    retentionMs: RETENTION,
    auditRetentionMs: options.auditRetentionMs ?? 400 * DAY,
    log,
    ...(options.backfillPages === undefined ? {} : { backfillPages: options.backfillPages }),
  });
}

let digests = 0;

/** A promotion that ran and was superseded: terminal, finished at its `updatedAt`. */
async function finished(version: string): Promise<Promotion> {
  digests += 1;
  const fresh = published(version, `sha256:${digests.toString(16).padStart(64, 'e')}`);
  await promotions.create(fresh.promotion, fresh.audit, fresh.outbox);
  const step = entered(fresh.promotion);
  expect(
    await promotions.commit({ promotion: fresh.promotion, revision: 0 }, step.next, step.audit, []),
  ).toBe(true);
  const done = superseded(step.next);
  expect(await promotions.commit({ promotion: step.next, revision: 1 }, done.next, done.audit, [])).toBe(
    true,
  );
  return done.next;
}

/** Makes `promotion` what `environment` runs now. */
async function runsIn(environment: string, promotion: Promotion): Promise<void> {
  await environments.record(service.name, environment, {
    promotionId: promotion.id,
    version: promotion.artifact.version,
    digest: promotion.artifact.digest,
    at: promotion.updatedAt,
  });
}

const exists = async (promotion: Promotion) => (await promotions.get(promotion.id)) !== undefined;

describe('the retention pass, attacked', () => {
  it('keeps what a removed service runs now while the one-time walk has found its promotions but not yet its deployments', async () => {
    // Written before the registry and the index, by a service since removed from the pipeline file; each
    // environment runs a different promotion, so some promotion's key is met before its environment's record.
    const running: Promotion[] = [];
    for (let index = 0; index < 16; index++) {
      const promotion = await finished(`1.${index}.0`);
      await runsIn(`region-${index}`, promotion);
      running.push(promotion);
    }
    await redis.del(keys.finished(service.name), keys.services, keys.environments(service.name));
    now = Date.parse(running.at(-1)?.updatedAt ?? '') + 2 * RETENTION;
    const worker = pass([aService({ name: 'payments' })], { scanCount: 2, backfillPages: 1 });

    for (let walks = 0; (await redis.hget(keys.retentionBackfill, 'all')) !== 'done'; walks++) {
      expect(walks).toBeLessThan(1000);
      await worker();
    }
    await worker();

    for (const promotion of running) expect(await exists(promotion)).toBe(true);
  });

  it('keeps what an environment runs while the pipeline file leaves that environment out, for when it comes back', async () => {
    const released = await finished('2.0.0');
    await runsIn('production', released);
    await pass([service])();
    // Someone renames production in the file (or comments it out) for a while; retention runs meanwhile.
    const renamed = aService({
      environments: [anEnvironment('development'), anEnvironment('staging'), aProduction({ name: 'prod' })],
    });
    now = Date.parse(released.updatedAt) + 2 * RETENTION;

    expect((await pass([renamed])()).promotions).toBe(0);

    expect(await exists(released)).toBe(true);
  });

  it('forgets a service gone from the pipeline once nothing of it is left, and not one that still runs something', async () => {
    const payments = aService({ name: 'payments' });
    const gone = await finished('3.0.0');
    await pass([service, payments])();
    expect((await redis.smembers(keys.services)).sort()).toEqual(['checkout', 'payments']);
    // Both leave the file; checkout's last promotion passes RETENTION and its audit entries AUDIT_RETENTION.
    now = Date.parse(gone.updatedAt) + 2 * RETENTION;
    await afterRedisMs(await redisMs());

    const report = await pass([aService({ name: 'billing' })], { auditRetentionMs: 0 })();

    expect(report).toMatchObject({ promotions: 1, servicesForgotten: 2 });
    expect(await redis.smembers(keys.services)).toEqual(['billing']);
    expect(await redis.exists(keys.environments('checkout'), keys.auditLog('checkout'))).toBe(0);
  });

  it('remembers a service gone from the pipeline as long as an environment of it runs a promotion', async () => {
    const released = await finished('4.0.0');
    await runsIn('production', released);
    await pass([service])();
    now = Date.parse(released.updatedAt) + 2 * RETENTION;
    await afterRedisMs(await redisMs());

    const report = await pass([aService({ name: 'billing' })], { auditRetentionMs: 0 })();

    expect(report).toMatchObject({ promotions: 0, servicesForgotten: 0 });
    expect(await redis.smembers(keys.services)).toContain('checkout');
    expect(await exists(released)).toBe(true);
  });

  it('registers the services of its file on every pass, so one forgotten by another process comes back', async () => {
    const worker = pass([aService({ name: 'payments' })]);
    await worker();
    // Another process, whose file no longer has payments, found nothing of it and forgot it.
    expect(await pass([aService({ name: 'billing' })])()).toMatchObject({ servicesForgotten: 1 });
    expect(await redis.smembers(keys.services)).toEqual(['billing']);

    await worker();

    // (and billing, empty and not in its file, is forgotten in turn: both come back with their own workers)
    expect(await redis.smembers(keys.services)).toEqual(['payments']);
  });
});

async function redisMs(): Promise<number> {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

/** Waits until Redis' clock has passed `ms`, so what was written by then is older than an audit retention of 0. */
async function afterRedisMs(ms: number): Promise<void> {
  while ((await redisMs()) <= ms) await new Promise((resolve) => setImmediate(resolve));
}
