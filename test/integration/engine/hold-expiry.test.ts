import { afterEach, describe, expect, it } from 'vitest';
import type { Hold } from '../../../src/domain/promotion.js';
import { aProduction, aService } from '../../support/pipeline-builder.js';
import { type EngineHarness, OWNER, openEngine } from './race-harness.js';

let harness: EngineHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const productionOnly = aService({ environments: [aProduction()] });

function timedHold(untilMs: number, reason = 'freeze'): Hold {
  const at = new Date(Date.now() - 60_000).toISOString();
  return { environment: 'production', reason, by: OWNER, at, until: new Date(untilMs).toISOString() };
}

describe('a hold placed for a while', () => {
  it('is lifted by the sweeper when its expiry was never scheduled (a crash right after the hold was written)', async () => {
    harness = openEngine(productionOnly);
    const hold = timedHold(Date.now() - 1000);
    // What a crash between writing the hold and scheduling its expiry leaves behind.
    await harness.environments.placeHold('checkout', hold);
    const promotion = await harness.publish();
    expect((await harness.current(promotion.id)).phase.kind).toBe('blocked');

    await harness.engine.sweep(0);

    expect(await harness.environments.holds('checkout')).toEqual([]);
    expect((await harness.current(promotion.id)).phase.kind).toBe('awaiting_approval');
  });

  it('is not lifted by the sweeper before it runs out, nor is a hold without an end', async () => {
    harness = openEngine(productionOnly);
    const timed = timedHold(Date.now() + 3600_000);
    const open: Hold = { reason: 'incident', by: OWNER, at: new Date().toISOString() };
    await harness.environments.placeHold('checkout', timed);
    await harness.environments.placeHold('checkout', open);

    await harness.engine.sweep(0);

    expect(await harness.environments.holds('checkout')).toEqual(expect.arrayContaining([timed, open]));
  });

  it('leaves a newer hold in place when the replaced one runs out, whoever processes the expiry', async () => {
    harness = openEngine(productionOnly);
    const first = timedHold(Date.now() + 60_000, 'short');
    const newer: Hold = {
      environment: 'production',
      reason: 'longer',
      by: OWNER,
      at: new Date(Date.now() - 30_000).toISOString(),
    };
    await harness.engine.placeHold(productionOnly, first);
    await harness.engine.placeHold(productionOnly, newer);

    const lifted = await Promise.all([
      harness.engine.liftHold(productionOnly, 'production', 'promotion-bot', first.at),
      harness.engine.liftHold(productionOnly, 'production', 'promotion-bot', first.at),
    ]);

    expect(lifted).toEqual([false, false]);
    expect(await harness.environments.holds('checkout')).toEqual([newer]);
  });

  it('is lifted once when two workers process its expiry at the same moment', async () => {
    harness = openEngine(productionOnly);
    const hold = timedHold(Date.now() + 60_000);
    await harness.engine.placeHold(productionOnly, hold);
    const promotion = await harness.publish();

    const lifted = await Promise.all([
      harness.engine.liftHold(productionOnly, 'production', 'promotion-bot', hold.at),
      harness.engine.liftHold(productionOnly, 'production', 'promotion-bot', hold.at),
    ]);

    expect(lifted.sort()).toEqual([false, true]);
    const released = harness.notices.filter(
      (n) => n.promotionId === promotion.id && n.kind === 'hold_released',
    );
    expect(released).toHaveLength(1);
    expect((await harness.current(promotion.id)).phase.kind).toBe('awaiting_approval');
  });
});
