import { afterEach, describe, expect, it } from 'vitest';
import type { Hold } from '../../../src/domain/promotion.js';
import { HOUR } from '../../support/pipeline-builder.js';
import {
  current,
  deployIn,
  type Harness,
  jobsIn,
  openHarness,
  phaseOf,
  publish,
  queueOf,
  shop,
  toShopGate,
} from './engine-harness.js';

// Placing a hold stops what it keeps out; lifting it lets them go on, unless something else still holds them.

let h: Harness;

afterEach(async () => {
  await h.close();
});

function aHold(overrides: Partial<Hold> = {}): Hold {
  return { reason: 'incident 42', by: 'U0ALICE', at: h.clock.now().toISOString(), ...overrides };
}

describe('placing a hold', () => {
  it('closes the gate open on production', async () => {
    h = openHarness();
    const atGate = await toShopGate(h, '1.0.0');

    await h.engine.placeHold(shop, aHold({ environment: 'production' }));

    expect(await phaseOf(h, atGate.id)).toMatchObject({
      kind: 'blocked',
      environment: 2,
      hold: { environment: 'production', reason: 'incident 42' },
    });
    expect(h.notifier.kindsFor(atGate.id).at(-1)).toBe('held');
    expect(await h.environments.hold('shop', 'production')).toMatchObject({ reason: 'incident 42' });
    // A hold without an end schedules nothing.
    expect(await jobsIn(h, 'hold-expiry')).toEqual([]);
  });

  it('stops a promotion queued for the environment, and takes it out of the queue', async () => {
    h = openHarness();
    const older = await publish(h, shop, '1.0.0');
    const queued = await publish(h, shop, '1.1.0');
    expect(await queueOf(h, 'shop', 'development')).toEqual([queued.id]);

    await h.engine.placeHold(shop, aHold({ environment: 'development' }));

    expect(await phaseOf(h, queued.id)).toMatchObject({ kind: 'blocked', environment: 0 });
    expect(await queueOf(h, 'shop', 'development')).toEqual([]);
    // The one deploying there carries on: a hold stops what has not entered yet.
    expect(await phaseOf(h, older.id)).toMatchObject({ kind: 'superseded', draining: 0 });
  });

  it('leaves alone a promotion already inside the environment', async () => {
    h = openHarness();
    const deploying = await publish(h, shop, '1.0.0');
    const before = await h.promotions.get(deploying.id);

    await h.engine.placeHold(shop, aHold());

    expect(await h.promotions.get(deploying.id)).toEqual(before);
  });

  it('placed for a while schedules its own lifting when it runs out', async () => {
    h = openHarness();
    const until = new Date(h.clock.now().getTime() + 2 * HOUR).toISOString();
    const hold = aHold({ environment: 'production', until });

    await h.engine.placeHold(shop, hold);

    expect(await jobsIn(h, 'hold-expiry')).toEqual([
      {
        id: `shop.hold.production.${Date.parse(hold.at)}`,
        name: 'hold-expiry',
        data: { service: 'shop', environment: 'production', placedAt: hold.at },
        delay: 2 * HOUR,
        attempts: 5,
      },
    ]);
  });

  it('on the whole service for a while schedules a lifting that names no environment', async () => {
    h = openHarness();
    const hold = aHold({ until: new Date(h.clock.now().getTime() + 30 * 60_000).toISOString() });

    await h.engine.placeHold(shop, hold);

    expect(await jobsIn(h, 'hold-expiry')).toEqual([
      expect.objectContaining({
        id: `shop.hold.all.${Date.parse(hold.at)}`,
        data: { service: 'shop', placedAt: hold.at },
        delay: 30 * 60_000,
      }),
    ]);
  });
});

describe('lifting a hold', () => {
  it('lets a promotion held before an environment enter it', async () => {
    h = openHarness();
    await h.engine.placeHold(shop, aHold({ environment: 'staging' }));
    const promotion = await publish(h, shop, '1.0.0');
    await h.engine.dispatch(promotion.id, {
      type: 'stepSucceeded',
      step: deployIn(0),
      result: { durationMs: 1, exitCode: 0, output: [] },
    });
    expect(await phaseOf(h, promotion.id)).toMatchObject({ kind: 'blocked', environment: 1 });

    expect(await h.engine.liftHold(shop, 'staging', 'U0ALICE')).toBe(true);

    expect(await phaseOf(h, promotion.id)).toEqual({ kind: 'deploying', environment: 1 });
    expect(await h.environments.hold('shop', 'staging')).toBeUndefined();
    expect(h.notifier.kindsFor(promotion.id)).toContain('hold_released');
  });

  it('asks for approval afresh when production is released', async () => {
    h = openHarness();
    const atGate = await toShopGate(h, '1.0.0');
    await h.engine.placeHold(shop, aHold({ environment: 'production' }));
    h.clock.advance(60_000);

    await h.engine.liftHold(shop, 'production', 'U0ALICE');

    const reopened = await current(h, atGate.id);
    expect(reopened.phase).toMatchObject({
      kind: 'awaiting_approval',
      requestedAt: h.clock.now().toISOString(),
    });
    // A second expiry job for the new request.
    expect((await jobsIn(h, 'approval-expiry')).map((job) => job.id)).toEqual(
      [`${atGate.id}.expiry.${Date.parse(h.clock.now().toISOString())}`, jobsIdOf(atGate)].sort(),
    );
  });

  it('keeps a promotion held while another hold still covers its environment', async () => {
    h = openHarness();
    const atGate = await toShopGate(h, '1.0.0');
    await h.engine.placeHold(shop, aHold({ environment: 'production', reason: 'release freeze' }));
    await h.engine.placeHold(shop, aHold({ reason: 'incident 42' }));

    expect(await h.engine.liftHold(shop, 'production', 'U0ALICE')).toBe(true);

    expect(await phaseOf(h, atGate.id)).toMatchObject({ kind: 'blocked', environment: 2 });
    expect(h.notifier.kindsFor(atGate.id)).not.toContain('hold_released');

    await h.engine.liftHold(shop, undefined, 'U0ALICE');

    expect(await phaseOf(h, atGate.id)).toMatchObject({ kind: 'awaiting_approval' });
  });

  it('placed at another time does nothing: a newer hold replaced the one that ran out', async () => {
    h = openHarness();
    const atGate = await toShopGate(h, '1.0.0');
    const first = aHold({
      environment: 'production',
      until: new Date(h.clock.now().getTime() + HOUR).toISOString(),
    });
    await h.engine.placeHold(shop, first);
    h.clock.advance(60_000);
    await h.engine.placeHold(shop, aHold({ environment: 'production', reason: 'still broken' }));

    expect(await h.engine.liftHold(shop, 'production', 'promotion-bot', first.at)).toBe(false);

    expect(await h.environments.hold('shop', 'production')).toMatchObject({ reason: 'still broken' });
    expect(await phaseOf(h, atGate.id)).toMatchObject({ kind: 'blocked' });
  });

  it('answers false when there is no such hold', async () => {
    h = openHarness();

    expect(await h.engine.liftHold(shop, 'staging', 'U0ALICE')).toBe(false);
  });
});

function jobsIdOf(atGate: Awaited<ReturnType<typeof toShopGate>>): string {
  if (atGate.phase.kind !== 'awaiting_approval') throw new Error('not at the gate');
  return `${atGate.id}.expiry.${Date.parse(atGate.phase.requestedAt)}`;
}
