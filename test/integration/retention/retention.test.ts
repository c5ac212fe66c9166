import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Service } from '../../../src/domain/pipeline.js';
import type { Promotion } from '../../../src/domain/promotion.js';
import type { Clock } from '../../../src/engine/ports.js';
import { createLogger } from '../../../src/logger.js';
import { bullPrefix, createQueues, type Queues } from '../../../src/queue/queues.js';
import { createWakeUpRetention, wakeUpsKey } from '../../../src/queue/wake-ups.js';
import { createRetentionPass } from '../../../src/retention/retention-pass.js';
import { slackKeys } from '../../../src/slack/notifier/slack-keys.js';
import { createSlackRetention } from '../../../src/slack/notifier/slack-retention.js';
import { createEnvironmentStore } from '../../../src/store/environment-store.js';
import { createKeys } from '../../../src/store/keys.js';
import { createPromotionStore } from '../../../src/store/promotion-store.js';
import { createRetentionBackfill } from '../../../src/store/retention-backfill.js';
import { createRetentionStore } from '../../../src/store/retention-store.js';
import { createServiceRegistry } from '../../../src/store/service-registry.js';
import { aService } from '../../support/pipeline-builder.js';
import { connectTestRedis, uniquePrefix } from '../../support/redis.js';
import { entered, published, service, superseded } from '../store/store-fixtures.js';

// Retention against the run's Redis: what goes, what stays, in batches, and two passes racing each other.

const DAY = 24 * 3600 * 1000;
const RETENTION = 90 * DAY;
const log = createLogger({ level: 'silent' });
const environmentNames = service.environments.map((environment) => environment.name);

let redis: Redis;
let prefix: string;
let jobs: Queues | undefined;
let now: number;
const clock: Clock = { now: () => new Date(now) };

function stores(connection: Redis = redis) {
  const keys = createKeys(prefix);
  return {
    keys,
    promotions: createPromotionStore(connection, keys),
    environments: createEnvironmentStore(connection, keys),
    retention: createRetentionStore(connection, keys),
  };
}

/** The worker's pass; `inPipeline` are the services the pipeline file names (the one promotions are of, unless told). */
function pass(connection: Redis = redis, batch?: number, inPipeline: readonly Service[] = [service]) {
  const { retention, keys } = stores(connection);
  const registry = createServiceRegistry(connection, keys);
  return createRetentionPass({
    pipeline: { services: new Map(inPipeline.map((one) => [one.name, one])) },
    store: retention,
    registry,
    backfill: createRetentionBackfill(connection, keys, registry),
    forget: [
      createSlackRetention(connection, slackKeys(prefix)),
      createWakeUpRetention(connection, bullPrefix(prefix), jobs?.queues ?? new Map()),
    ],
    queues: [],
    clock,
    retentionMs: RETENTION,
    auditRetentionMs: 400 * DAY,
    log,
    ...(batch === undefined ? {} : { batch }),
  });
}

beforeEach(() => {
  redis = connectTestRedis();
  prefix = uniquePrefix('retention');
});

afterEach(async () => {
  if (jobs) {
    for (const queue of jobs.queues.values()) await queue.obliterate({ force: true });
    await jobs.close();
    jobs = undefined;
  }
  await redis.quit();
});

/** A promotion published and moved on once: active. */
async function active(version: string): Promise<Promotion> {
  const { promotions } = stores();
  const fresh = published(version);
  await promotions.create(fresh.promotion, fresh.audit, fresh.outbox);
  const step = entered(fresh.promotion);
  expect(
    await promotions.commit({ promotion: fresh.promotion, revision: 0 }, step.next, step.audit, []),
  ).toBe(true);
  return step.next;
}

/** A promotion that ran and was superseded: terminal, finished at its `updatedAt`. */
async function finished(version: string): Promise<Promotion> {
  const { promotions } = stores();
  const running = await active(version);
  const step = superseded(running);
  expect(await promotions.commit({ promotion: running, revision: 1 }, step.next, step.audit, [])).toBe(true);
  return step.next;
}

const finishedAt = (promotion: Promotion) => Date.parse(promotion.updatedAt);

async function keysOf(promotion: Promotion): Promise<number> {
  const { keys } = stores();
  const slack = slackKeys(prefix);
  return redis.exists(
    keys.promotion(service.name, promotion.id),
    keys.audit(service.name, promotion.id),
    keys.promotionService(promotion.id),
    slack.messages(promotion.id),
    slack.pending(promotion.id),
  );
}

describe('the retention pass', () => {
  it('removes a promotion finished longer ago than RETENTION with all it left, and keeps what outlives it', async () => {
    const { keys, promotions, environments } = stores();
    const old = await finished('1.0.0');
    const slack = slackKeys(prefix);
    await redis.hset(slack.messages(old.id), 'channel', 'C0DEPLOYS', 'parentTs', '1.2');
    await redis.rpush(slack.pending(old.id), '{"seq":1,"notice":{"kind":"released"}}');
    await redis.hset(slack.outstanding, old.id, 'C0DEPLOYS');
    await redis.zadd(slack.lane('C0DEPLOYS'), 1, old.id);
    await redis.hset(
      keys.outbox(service.name),
      'left-over',
      JSON.stringify({ id: 'left-over', promotionId: old.id, at: old.updatedAt, effect: { type: 'notify' } }),
    );
    await environments.record(service.name, 'staging', {
      promotionId: old.id,
      version: '1.0.0',
      digest: old.artifact.digest,
      at: old.updatedAt,
    });
    await environments.record(service.name, 'staging', {
      promotionId: 'a-later-one',
      version: '1.1.0',
      digest: `sha256:${'c'.repeat(64)}`,
      at: old.updatedAt,
    });
    await environments.placeHold(service.name, { reason: 'audit', by: 'U0ALICE', at: old.updatedAt });
    await environments.markBad(service.name, old.artifact.digest, 'error-rate breached');
    const events = await promotions.events(old.id);
    now = finishedAt(old) + RETENTION + 1;

    const report = await pass()();

    expect(report.promotions).toBe(1);
    expect(await keysOf(old)).toBe(0);
    expect(await redis.zscore(keys.index(service.name), old.id)).toBeNull();
    expect(await redis.zscore(keys.finished(service.name), old.id)).toBeNull();
    expect(await redis.hlen(keys.outbox(service.name))).toBe(0);
    expect(await redis.hget(slack.outstanding, old.id)).toBeNull();
    expect(await redis.zcard(slack.lane('C0DEPLOYS'))).toBe(0);
    expect(await redis.llen(keys.retired(service.name))).toBe(0);
    // What outlives it:
    expect(await promotions.findByVersion(service.name, '1.0.0')).toEqual({
      removed: true,
      promotionId: old.id,
      digest: old.artifact.digest,
    });
    const again = published('1.0.0', `sha256:${'b'.repeat(64)}`);
    expect(await promotions.create(again.promotion, again.audit, again.outbox)).toEqual({
      kind: 'conflict',
      digest: old.artifact.digest,
      promotionId: old.id,
    });
    const identical = published('1.0.0', old.artifact.digest);
    expect(await promotions.create(identical.promotion, identical.audit, identical.outbox)).toEqual({
      kind: 'removed',
      promotionId: old.id,
    });
    expect((await redis.lrange(keys.deployments(service.name, 'staging'), 0, -1)).length).toBe(2);
    expect(await environments.holds(service.name)).toHaveLength(1);
    expect(await environments.badReason(service.name, old.artifact.digest)).toBe('error-rate breached');
    const trail = await redis.xrange(keys.auditLog(service.name), '-', '+');
    expect(trail.map(([, fields]) => JSON.parse(fields[3] ?? ''))).toEqual(events);
  });

  it('keeps a promotion finished just inside RETENTION, and removes it once it is past', async () => {
    const recent = await finished('1.0.0');
    now = finishedAt(recent) + RETENTION - 1;

    expect((await pass()()).promotions).toBe(0);
    expect(await keysOf(recent)).toBe(3);

    now = finishedAt(recent) + RETENTION;
    expect((await pass()()).promotions).toBe(1);
    expect(await keysOf(recent)).toBe(0);
  });

  it('never removes an active promotion, however old', async () => {
    const running = await active('1.0.0');
    now = Date.parse(running.updatedAt) + 10 * RETENTION;

    expect((await pass()()).promotions).toBe(0);
    expect((await stores().promotions.get(running.id))?.promotion).toEqual(running);
  });

  it('keeps the promotion an environment runs now, so /rollback still finds it', async () => {
    const { environments, promotions } = stores();
    const released = await finished('1.0.0');
    await environments.record(service.name, 'production', {
      promotionId: released.id,
      version: '1.0.0',
      digest: released.artifact.digest,
      at: released.updatedAt,
    });
    now = finishedAt(released) + 2 * RETENTION;

    expect((await pass()()).promotions).toBe(0);
    expect((await promotions.get(released.id))?.promotion).toEqual(released);
  });

  it('removes in batches of at most the batch size plus one per environment', async () => {
    const { retention } = stores();
    const all = [];
    for (let index = 0; index < 25; index++) all.push(await finished(`2.0.${index}`));
    now = Math.max(...all.map(finishedAt)) + RETENTION;

    const first = await retention.removeFinished(service.name, environmentNames, now - RETENTION, 10);
    expect(first.length).toBeGreaterThanOrEqual(10);
    expect(first.length).toBeLessThanOrEqual(10 + environmentNames.length);
    // The oldest go first.
    expect(first).toEqual(all.slice(0, first.length).map((promotion) => promotion.id));

    const report = await pass(redis, 10)();
    expect(report.promotions).toBe(25 - first.length);
    for (const promotion of all) expect(await keysOf(promotion)).toBe(0);
  });

  it('is safe when two processes run it at once: each promotion is removed once, and all of them go', async () => {
    const other = connectTestRedis();
    try {
      const all = [];
      for (let index = 0; index < 60; index++) all.push(await finished(`3.0.${index}`));
      now = Math.max(...all.map(finishedAt)) + RETENTION;

      const [a, b] = await Promise.all([pass(redis, 7)(), pass(other, 7)()]);

      expect(a.promotions + b.promotions).toBe(60);
      for (const promotion of all) expect(await keysOf(promotion)).toBe(0);
      expect(await redis.llen(stores().keys.retired(service.name))).toBe(0);
    } finally {
      await other.quit();
    }
  });

  it('cleans up after a pass that stopped between the removal and the clean-up', async () => {
    const { retention, keys } = stores();
    const old = await finished('4.0.0');
    now = finishedAt(old) + RETENTION;
    // What a crash right after the script leaves: the promotion gone, its id index still there, listed as retired.
    expect(await retention.removeFinished(service.name, environmentNames, now - RETENTION, 100)).toEqual([
      old.id,
    ]);
    expect(await redis.exists(keys.promotionService(old.id))).toBe(1);

    await pass()();

    expect(await redis.exists(keys.promotionService(old.id))).toBe(0);
    expect(await redis.llen(keys.retired(service.name))).toBe(0);
  });
});

describe('what retention reaches beyond the pipeline and the index', () => {
  it("removes the wake-up jobs still waiting for a removed promotion, such as a decided gate's expiry", async () => {
    jobs = createQueues(redis, prefix);
    const old = await finished('5.0.0');
    const requestedAt = old.updatedAt;
    await jobs.scheduler.scheduleApprovalExpiry(
      { promotionId: old.id, service: service.name, requestedAt },
      DAY,
    );
    await jobs.scheduler.scheduleReminder(
      { promotionId: old.id, service: service.name, requestedAt, reminder: 1 },
      DAY,
    );
    const expiry = await jobs.queues.get('approval-expiry')?.getDelayedCount();
    expect(expiry).toBe(1);
    now = finishedAt(old) + RETENTION;

    expect((await pass()()).promotions).toBe(1);

    expect(await jobs.queues.get('approval-expiry')?.getDelayedCount()).toBe(0);
    expect(await jobs.queues.get('approval-reminder')?.getDelayedCount()).toBe(0);
    expect(await redis.exists(wakeUpsKey(bullPrefix(prefix), old.id))).toBe(0);
  });

  it('indexes promotions that finished before retention existed, once, and removes them', async () => {
    const { keys } = stores();
    const before = [];
    for (let index = 0; index < 5; index++) before.push(await finished(`6.0.${index}`));
    const running = await active('6.1.0');
    // Written the old way: no retention index, no registry.
    await redis.del(keys.finished(service.name));
    now = Math.max(...before.map(finishedAt)) + RETENTION;

    const first = await pass()();

    expect(first.backfilled).toBe(5);
    expect(first.promotions).toBe(5);
    for (const promotion of before) expect(await keysOf(promotion)).toBe(0);
    expect((await stores().promotions.get(running.id))?.promotion).toEqual(running);
    expect(await redis.hget(keys.retentionBackfill, 'all')).toBe('done');
    // The marker holds: a later pass walks nothing, even with an unindexed promotion written after it.
    const late = await finished('6.2.0');
    await redis.zrem(keys.finished(service.name), late.id);
    now = finishedAt(late) + RETENTION;
    expect(await pass()()).toMatchObject({ backfilled: 0, promotions: 0 });
  });

  it('goes on walking where the last walk stopped, a page at a time', async () => {
    const { keys } = stores();
    const before = [];
    for (let index = 0; index < 30; index++) before.push(await finished(`7.0.${index}`));
    await redis.del(keys.finished(service.name));
    const backfill = createRetentionBackfill(redis, keys, createServiceRegistry(redis, keys), 10);

    let indexed = 0;
    let walks = 0;
    for (let done = false; !done; walks++) {
      const walked = await backfill.run(1);
      indexed += walked.indexed;
      done = walked.done;
    }

    expect(indexed).toBe(30);
    expect(await redis.zcard(keys.finished(service.name))).toBe(30);
    expect(walks).toBeGreaterThan(1);
    expect(await backfill.run(1)).toEqual({ indexed: 0, done: true });
  });

  it('removes the finished promotions of a service no longer in the pipeline, and keeps its records', async () => {
    const { keys, promotions, environments } = stores();
    const other = aService({ name: 'payments' });
    const old = await finished('8.0.0');
    const runsNow = await finished('8.1.0');
    await environments.record(service.name, 'production', {
      promotionId: runsNow.id,
      version: '8.1.0',
      digest: runsNow.artifact.digest,
      at: runsNow.updatedAt,
    });
    await pass()();
    now = Math.max(finishedAt(old), finishedAt(runsNow)) + RETENTION;

    // The service has left the pipeline file: the pass knows it from Redis.
    const report = await pass(redis, undefined, [other])();

    expect(report.promotions).toBe(1);
    expect(await keysOf(old)).toBe(0);
    expect(await promotions.findByVersion(service.name, '8.0.0')).toMatchObject({ removed: true });
    expect((await promotions.get(runsNow.id))?.promotion).toEqual(runsNow);
    expect(await redis.llen(keys.deployments(service.name, 'production'))).toBe(1);
  });

  it('finds a removed service in promotions written before the registry, through the backfill', async () => {
    const { keys } = stores();
    const old = await finished('9.0.0');
    await redis.del(keys.finished(service.name));
    now = finishedAt(old) + RETENTION;

    const report = await pass(redis, undefined, [aService({ name: 'payments' })])();

    expect(report).toMatchObject({ backfilled: 1, promotions: 1 });
    expect(await keysOf(old)).toBe(0);
    expect(await redis.smembers(keys.services)).toEqual(expect.arrayContaining([service.name, 'payments']));
  });
});
