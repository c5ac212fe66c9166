import { afterEach, describe, expect, it } from 'vitest';
import {
  aDigest,
  checkout,
  current,
  deployIn,
  fail,
  type Harness,
  type HarnessOptions,
  holderOf,
  jobsIn,
  openHarness,
  PIPELINE,
  phaseOf,
  publish,
  queueOf,
  shop,
  succeed,
  toShopGate,
} from './engine-harness.js';

// Effects wait in the outbox until carried out: one that fails stays there, and the sweeper finishes it later.

let h: Harness;

function open(options: HarnessOptions = {}): Harness {
  h = openHarness(options);
  return h;
}

afterEach(async () => {
  await h.close();
});

const SWEEP_AFTER = 15_000;

const pendingTypes = async () =>
  (await h.promotions.pendingEffects('shop')).map((entry) => entry.effect.type);

describe('an effect that fails', () => {
  it('stays in the outbox with the effects after it, until the sweeper carries them out', async () => {
    open();
    h.notifier.failOn('published');

    const promotion = await publish(h, shop, '1.0.0');

    expect(await pendingTypes()).toEqual(['notify', 'enterEnvironment']);
    expect(await phaseOf(h, promotion.id)).toEqual({ kind: 'entering', environment: 0 });
    expect(await jobsIn(h, 'deploy')).toEqual([]);
    // Young entries belong to the process that wrote them, which may still be carrying them out.
    expect(await h.engine.sweep(SWEEP_AFTER)).toBe(0);
    expect(await pendingTypes()).toEqual(['notify', 'enterEnvironment']);

    h.clock.advance(SWEEP_AFTER + 1000);
    const swept = await h.other.engine.sweep(SWEEP_AFTER);

    expect(swept).toBe(2);
    expect(h.notifier.kindsFor(promotion.id)).toEqual(['published', 'stage_started']);
    expect(await phaseOf(h, promotion.id)).toEqual({ kind: 'deploying', environment: 0 });
    expect((await jobsIn(h, 'deploy')).map((job) => job.id)).toEqual([`${promotion.id}.deploy.0.0`]);
    expect(await pendingTypes()).toEqual([]);
  });

  it('keeps the entry whose follow-up failed, and only that one', async () => {
    let failEnter = true;
    open({
      environments: (real) => ({
        ...real,
        async enter(service, environment, promotionId) {
          if (failEnter) {
            failEnter = false;
            throw new Error('redis went away');
          }
          return real.enter(service, environment, promotionId);
        },
      }),
    });

    const promotion = await publish(h, shop, '1.0.0');

    expect(await pendingTypes()).toEqual(['enterEnvironment']);
    expect(await phaseOf(h, promotion.id)).toEqual({ kind: 'entering', environment: 0 });

    h.clock.advance(SWEEP_AFTER);
    expect(await h.engine.sweep(SWEEP_AFTER)).toBe(1);

    expect(await phaseOf(h, promotion.id)).toEqual({ kind: 'deploying', environment: 0 });
    expect(await pendingTypes()).toEqual([]);
  });

  it('is done again after a crash before it was marked done, without taking anything twice', async () => {
    // This process dies after carrying the effects out and before removing them from the outbox.
    open({ promotions: (real) => ({ ...real, completeEffects: async () => undefined }) });
    const promotion = await publish(h, shop, '1.0.0');
    expect(await phaseOf(h, promotion.id)).toEqual({ kind: 'deploying', environment: 0 });

    h.clock.advance(SWEEP_AFTER);
    await h.other.engine.sweep(SWEEP_AFTER);

    // The repeated entry finds it already in development: it keeps the lock, and deploys once.
    expect(await phaseOf(h, promotion.id)).toEqual({ kind: 'deploying', environment: 0 });
    expect(await holderOf(h, 'shop', 'development')).toBe(promotion.id);
    expect((await jobsIn(h, 'deploy')).map((job) => job.id)).toEqual([`${promotion.id}.deploy.0.0`]);
    expect(await h.promotions.pendingEffects('shop')).toEqual([]);
  });

  it('of a service the pipeline file no longer has is dropped, not retried for ever', async () => {
    open();
    h.notifier.failOn('published');
    const promotion = await publish(h, shop, '1.0.0');
    const snapshot = await h.promotions.snapshot(promotion.id);
    if (!snapshot) throw new Error('no snapshot');
    const reloaded = h.withPipeline({
      services: new Map([...PIPELINE.services].filter(([name]) => name !== 'shop')),
    });

    await reloaded.engine.carryOut(snapshot, await h.promotions.pendingEffects('shop'));

    expect(await pendingTypes()).toEqual([]);
    expect(h.notifier.kindsFor(promotion.id)).toEqual([]);
    expect(await phaseOf(h, promotion.id)).toEqual({ kind: 'entering', environment: 0 });
  });
});

describe('the sweeper', () => {
  it('drops the entries of a promotion that no longer exists', async () => {
    open();
    h.notifier.failOn('published');
    const promotion = await publish(h, shop, '1.0.0');
    await h.redis.del(h.keys.promotion('shop', promotion.id));
    h.clock.advance(SWEEP_AFTER);

    expect(await h.engine.sweep(SWEEP_AFTER)).toBe(2);

    expect(await pendingTypes()).toEqual([]);
    expect(h.notifier.kindsFor(promotion.id)).toEqual([]);
  });

  it('lets the next in line into an environment its holder left without handing it over', async () => {
    open();
    const older = await publish(h, shop, '1.0.0');
    const newer = await publish(h, shop, '1.1.0');
    expect(await queueOf(h, 'shop', 'development')).toEqual([newer.id]);
    // The older one left (the script ran) and its process died before it let the next one in.
    await h.environments.leave('shop', 'development', older.id);

    expect(await h.engine.sweep(SWEEP_AFTER)).toBe(1);

    expect(await phaseOf(h, newer.id)).toEqual({ kind: 'deploying', environment: 0 });
    expect(await holderOf(h, 'shop', 'development')).toBe(newer.id);
    expect(await queueOf(h, 'shop', 'development')).toEqual([]);
  });

  it('does not let a queue entry of a promotion that no longer exists keep the next in line out', async () => {
    open();
    const older = await publish(h, shop, '1.0.0');
    const newer = await publish(h, shop, '1.1.0');
    // A promotion whose record is gone (removed by hand, or by a retention sweep) is still first in the queue.
    await h.redis.lpush(h.keys.queue('shop', 'development'), 'gone-1234');

    await succeed(h, older.id, deployIn(0));
    await h.engine.sweep(SWEEP_AFTER);

    expect(await queueOf(h, 'shop', 'development')).toEqual([]);
    expect(await phaseOf(h, newer.id)).toEqual({ kind: 'deploying', environment: 0 });
  });

  it('clears a queue entry of a promotion that is no longer waiting there', async () => {
    open();
    const promotion = await publish(h, shop, '1.0.0');
    await succeed(h, promotion.id, deployIn(0));
    const before = await h.promotions.get(promotion.id);
    await h.redis.rpush(h.keys.queue('shop', 'development'), promotion.id);

    expect(await h.engine.sweep(SWEEP_AFTER)).toBe(1);

    expect(await queueOf(h, 'shop', 'development')).toEqual([]);
    expect(await holderOf(h, 'shop', 'development')).toBeNull();
    expect(await h.promotions.get(promotion.id)).toEqual(before);
    expect(await h.engine.sweep(SWEEP_AFTER)).toBe(0);
  });
});

describe('jobs the engine schedules', () => {
  it('asks for approval with an expiry job due when the request expires', async () => {
    open();

    const atGate = await toShopGate(h, '1.0.0');

    if (atGate.phase.kind !== 'awaiting_approval') throw new Error('not at the gate');
    const { requestedAt } = atGate.phase;
    expect(await jobsIn(h, 'approval-expiry')).toEqual([
      {
        id: `${atGate.id}.expiry.${Date.parse(requestedAt)}`,
        name: 'expiry',
        data: { promotionId: atGate.id, service: 'shop', requestedAt },
        delay: 2 * 3600_000,
        attempts: 5,
      },
    ]);
  });

  it('schedules the analysis checks of a canary step on the cadence of the monitor', async () => {
    open();
    const promotion = await publish(h, checkout, '2.0.0');
    await succeed(h, promotion.id, deployIn(0));
    await succeed(h, promotion.id, { kind: 'test', environment: 0, test: 0 });
    await succeed(h, promotion.id, deployIn(1));
    await succeed(h, promotion.id, { kind: 'test', environment: 1, test: 0 });
    await succeed(h, promotion.id, { kind: 'test', environment: 1, test: 1 });
    await h.commands.decide(promotion.id, 'approve', { user: 'U0CAROL' });

    await succeed(h, promotion.id, deployIn(2, 0));

    expect(await jobsIn(h, 'analysis')).toMatchObject([
      {
        id: `${promotion.id}.analysis.0.1`,
        data: { promotionId: promotion.id, service: 'checkout', analysis: { step: 0, check: 1 } },
        delay: 30_000,
      },
    ]);

    // The first check ran 10s late: the second stays on the 30s cadence.
    h.clock.advance(40_000);
    await h.engine.dispatch(promotion.id, {
      type: 'analysisCompleted',
      analysis: { step: 0, check: 1 },
      measurements: [{ metric: 'error-rate', value: 0.001, max: 0.01, verdict: 'healthy' }],
    });

    expect(
      (await jobsIn(h, 'analysis')).find((job) => job.id === `${promotion.id}.analysis.0.2`),
    ).toMatchObject({ delay: 20_000 });
  });

  it('rolls back a failed rollout and quarantines its digest: the same digest waits before production', async () => {
    open();
    const digest = aDigest();
    const atGate = await toShopGate(h, '1.0.0', digest);
    await h.commands.decide(atGate.id, 'approve', { user: 'U0CAROL' });

    await fail(h, atGate.id, deployIn(2));

    expect(await phaseOf(h, atGate.id)).toMatchObject({ kind: 'rolling_back', released: false });
    expect((await jobsIn(h, 'rollback')).map((job) => job.id)).toEqual([`${atGate.id}.rollback.2.0`]);

    await succeed(h, atGate.id, { kind: 'rollback', environment: 2 });

    expect(await phaseOf(h, atGate.id)).toMatchObject({ kind: 'rolled_back' });
    expect(await h.environments.badReason('shop', digest)).toBe('automatic rollback of 1.0.0');
    expect(await holderOf(h, 'shop', 'production')).toBeNull();

    // A version rebuilt from the same digest goes through staging, and stops where production begins.
    const rebuilt = await publish(h, shop, '1.0.1', digest);
    await succeed(h, rebuilt.id, deployIn(0));
    await succeed(h, rebuilt.id, deployIn(1));
    await succeed(h, rebuilt.id, { kind: 'test', environment: 1, test: 0 });

    expect((await current(h, rebuilt.id)).phase).toMatchObject({
      kind: 'blocked',
      environment: 2,
      hold: { by: 'promotion-bot' },
    });
  });
});
