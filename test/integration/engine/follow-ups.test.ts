import { afterEach, describe, expect, it } from 'vitest';
import type { EnvironmentStore } from '../../../src/engine/ports.js';
import {
  deployIn,
  type Harness,
  type HarnessOptions,
  holderOf,
  jobsIn,
  openHarness,
  phaseOf,
  publish,
  queueOf,
  shop,
  succeed,
  toShopGate,
} from './engine-harness.js';

// What follows from a committed effect: entering an environment (or queueing for it), letting the next one in,
// and overtaking older promotions. Each is a use case of its own, run after the one that asked for it.

let h: Harness;

function open(options: HarnessOptions = {}): Harness {
  h = openHarness(options);
  return h;
}

afterEach(async () => {
  await h.close();
});

/** 1.0.0 is still deploying to development when 1.1.0 is published: 1.1.0 waits in development's queue. */
async function queuedBehindDrainingOlder() {
  const older = await publish(h, shop, '1.0.0');
  const newer = await publish(h, shop, '1.1.0');
  return { older, newer };
}

describe('entering an environment', () => {
  it('queues a promotion while the environment is busy, and lets it in when the holder leaves', async () => {
    open();
    const { older, newer } = await queuedBehindDrainingOlder();

    expect(await phaseOf(h, older.id)).toMatchObject({ kind: 'superseded', by: '1.1.0', draining: 0 });
    expect(await phaseOf(h, newer.id)).toEqual({ kind: 'entering', environment: 0 });
    expect(await holderOf(h, 'shop', 'development')).toBe(older.id);
    expect(await queueOf(h, 'shop', 'development')).toEqual([newer.id]);

    // The older deploy reports: development runs it, it leaves, and the next in line enters.
    await succeed(h, older.id, deployIn(0));

    expect(await phaseOf(h, newer.id)).toEqual({ kind: 'deploying', environment: 0 });
    expect(await holderOf(h, 'shop', 'development')).toBe(newer.id);
    expect(await queueOf(h, 'shop', 'development')).toEqual([]);
    expect((await jobsIn(h, 'deploy')).map((job) => job.id)).toEqual(
      [`${older.id}.deploy.0.0`, `${newer.id}.deploy.0.0`].sort(),
    );
    // What the drained deploy put there is what development ran before the newer one.
    expect((await h.promotions.get(newer.id))?.promotion.stages[0]?.predecessor).toMatchObject({
      version: '1.0.0',
    });
    expect(await h.promotions.pendingEffects('shop')).toEqual([]);
  });

  it('holds the next in line when its environment was put on hold before it was let in', async () => {
    open();
    const { older, newer } = await queuedBehindDrainingOlder();
    // Another process placed the hold and has not yet stopped the promotions it keeps out.
    await h.environments.placeHold('shop', {
      environment: 'development',
      reason: 'database migration',
      by: 'U0ALICE',
      at: h.clock.now().toISOString(),
    });

    await succeed(h, older.id, deployIn(0));

    expect(await phaseOf(h, newer.id)).toMatchObject({
      kind: 'blocked',
      environment: 0,
      hold: { reason: 'database migration' },
    });
    expect(await holderOf(h, 'shop', 'development')).toBeNull();
    expect(await queueOf(h, 'shop', 'development')).toEqual([]);
  });

  it('gives the lock back when the promotion it was taken for moved on meanwhile', async () => {
    let raced = false;
    const racing = (real: EnvironmentStore): EnvironmentStore => ({
      ...real,
      async enter(service, environment, promotionId) {
        if (!raced) {
          raced = true;
          // Overtaken by another process between the read and the entry.
          await h.other.engine.dispatch(promotionId, { type: 'superseded', by: '9.9.9' });
        }
        return real.enter(service, environment, promotionId);
      },
    });
    open({ environments: racing });

    const promotion = await publish(h, shop, '1.0.0');

    expect(await phaseOf(h, promotion.id)).toMatchObject({ kind: 'superseded', by: '9.9.9' });
    expect(await holderOf(h, 'shop', 'development')).toBeNull();
    expect(await jobsIn(h, 'deploy')).toEqual([]);
  });

  it('keeps the lock when another process let the same promotion in first', async () => {
    let raced = false;
    const racing = (real: EnvironmentStore): EnvironmentStore => ({
      ...real,
      async enter(service, environment, promotionId) {
        if (!raced) {
          raced = true;
          await h.other.engine.dispatch(promotionId, { type: 'environmentEntered', environment: 0 });
        }
        return real.enter(service, environment, promotionId);
      },
    });
    open({ environments: racing });

    const promotion = await publish(h, shop, '1.0.0');

    expect(await phaseOf(h, promotion.id)).toEqual({ kind: 'deploying', environment: 0 });
    expect(await holderOf(h, 'shop', 'development')).toBe(promotion.id);
    // One deploy job: its id is the same whichever process queued it.
    expect((await jobsIn(h, 'deploy')).map((job) => job.id)).toEqual([`${promotion.id}.deploy.0.0`]);
  });

  it('gives production a colour: the idle one, then the other for the next release', async () => {
    open();
    const first = await toCartProduction('1.0.0');
    await succeed(h, first, deployIn(1, 0));
    await succeed(h, first, deployIn(1, 1));

    expect(await phaseOf(h, first)).toMatchObject({ kind: 'released' });
    expect(await h.environments.current('cart', 'production')).toMatchObject({
      promotionId: first,
      version: '1.0.0',
      color: 'blue',
    });

    const second = await toCartProduction('1.1.0');

    expect((await h.promotions.get(second))?.promotion.stages[1]).toMatchObject({
      color: 'green',
      predecessor: { version: '1.0.0', color: 'blue' },
    });
  });
});

/** cart `version` published, deployed to development, approved: rolling out in production. */
async function toCartProduction(version: string): Promise<string> {
  const cart = h.pipeline.services.get('cart');
  if (!cart) throw new Error('no cart');
  const promotion = await publish(h, cart, version);
  await succeed(h, promotion.id, deployIn(0));
  const decided = await h.commands.decide(promotion.id, 'approve', { user: 'U0CAROL' });
  if (!decided.ok) throw new Error(decided.reason);
  return promotion.id;
}

describe('overtaking older promotions', () => {
  it('supersedes every older promotion still on its way, and completes the entry once all are done', async () => {
    let failActive = false;
    open({
      promotions: (real) => ({
        ...real,
        async active(service) {
          if (failActive) {
            failActive = false;
            throw new Error('redis went away');
          }
          return real.active(service);
        },
      }),
    });
    const rejected = await toShopGate(h, '1.0.0');
    await h.commands.decide(rejected.id, 'reject', { user: 'U0CAROL', reason: 'not this week' });
    // 1.1.0's supersede fails: it and the effects after it stay in the outbox, and 1.0.0 is not overtaken yet.
    failActive = true;
    const stuck = await publish(h, shop, '1.1.0');
    expect(await phaseOf(h, rejected.id)).toMatchObject({ kind: 'rejected' });
    expect((await h.promotions.pendingEffects('shop')).map((entry) => entry.effect.type)).toEqual([
      'supersedeOlder',
      'notify',
      'enterEnvironment',
    ]);

    const newest = await publish(h, shop, '1.2.0');

    expect(await phaseOf(h, rejected.id)).toMatchObject({ kind: 'superseded', by: '1.2.0' });
    expect(await phaseOf(h, stuck.id)).toMatchObject({ kind: 'superseded', by: '1.2.0' });
    expect(await phaseOf(h, newest.id)).toEqual({ kind: 'deploying', environment: 0 });
    // Only 1.1.0's leftovers remain: 1.2.0's supersede entry went once both follow-ups were done.
    expect((await h.promotions.pendingEffects('shop')).every((entry) => entry.promotionId === stuck.id)).toBe(
      true,
    );
  });

  it('leaves a promotion that is already rolling out in production alone', async () => {
    open();
    const atGate = await toShopGate(h, '1.0.0');
    await h.commands.decide(atGate.id, 'approve', { user: 'U0CAROL' });

    const newer = await publish(h, shop, '1.1.0');

    expect(await phaseOf(h, atGate.id)).toMatchObject({ kind: 'rolling_out' });
    expect(await phaseOf(h, newer.id)).toEqual({ kind: 'deploying', environment: 0 });
    expect(await h.promotions.pendingEffects('shop')).toEqual([]);
  });
});
