import { afterEach, describe, expect, it } from 'vitest';
import type { StepRef } from '../../../src/domain/events.js';
import type { Hold } from '../../../src/domain/promotion.js';
import type { Dispatched } from '../../../src/engine/engine.js';
import { deployIn, type Harness, openHarness, phaseOf, publish, shop, succeed } from './engine-harness.js';

// The step worker decides a step's start on the snapshot it read, and its report (minutes later) on the snapshot
// the start left. Whatever happened to the promotion meanwhile, the report must land as on a fresh read.

let h: Harness;
afterEach(async () => {
  await h.close();
});

const RESULT = { durationMs: 1200, exitCode: 0, output: ['ok'] };
const stagingTest: StepRef = { kind: 'test', environment: 1, test: 0 };

/** A worker starting `step` on the snapshot it read, as src/queue/workers.ts does. */
async function startStep(id: string, step: StepRef, run: string): Promise<Dispatched> {
  const read = await h.promotions.snapshot(id);
  return h.engine.dispatch(id, { type: 'stepStarted', step, run }, read);
}

/** The same worker's report, decided first on what its start committed. */
function report(id: string, step: StepRef, run: string, started: Dispatched): Promise<Dispatched> {
  return h.engine.dispatch(
    id,
    { type: 'stepSucceeded', step, result: RESULT, run },
    started.ok ? started.committed : undefined,
  );
}

/** shop 1.0.0 deployed to development and staging: its staging test is next. */
async function atStagingTest() {
  h = openHarness();
  const promotion = await publish(h, shop, '1.0.0');
  await succeed(h, promotion.id, deployIn(0));
  await succeed(h, promotion.id, deployIn(1));
  return promotion;
}

const productionHold = (): Hold => ({
  environment: 'production',
  reason: 'incident',
  by: 'U0ALICE',
  at: h.clock.now().toISOString(),
});

describe('a step report decided on the snapshot its start left', () => {
  it('stops at a hold placed on the next environment while the step ran', async () => {
    const promotion = await atStagingTest();
    const started = await startStep(promotion.id, stagingTest, 'run-a');
    expect(started.ok).toBe(true);

    await h.other.engine.placeHold(shop, productionHold());
    const reported = await report(promotion.id, stagingTest, 'run-a', started);

    expect(reported.ok).toBe(true);
    expect(await phaseOf(h, promotion.id)).toMatchObject({ kind: 'blocked', environment: 2 });
  });

  it('goes on to the gate when a hold was placed and lifted again while the step ran', async () => {
    const promotion = await atStagingTest();
    const started = await startStep(promotion.id, stagingTest, 'run-a');

    await h.other.engine.placeHold(shop, productionHold());
    expect(await h.other.engine.liftHold(shop, 'production', 'U0ALICE')).toBe(true);
    const reported = await report(promotion.id, stagingTest, 'run-a', started);

    expect(reported.ok).toBe(true);
    expect(await phaseOf(h, promotion.id)).toMatchObject({ kind: 'awaiting_approval' });
  });

  it('is refused when a newer run of the same step started meanwhile, and the newer run still lands', async () => {
    const promotion = await atStagingTest();
    const first = await startStep(promotion.id, stagingTest, 'run-a');
    // The job's lock was lost and another worker runs the step again.
    const second = await startStep(promotion.id, stagingTest, 'run-b');
    expect(second.ok).toBe(true);

    const late = await report(promotion.id, stagingTest, 'run-a', first);
    expect(late).toMatchObject({ ok: false, reason: expect.stringContaining('earlier run') });
    expect(await phaseOf(h, promotion.id)).toMatchObject({ kind: 'testing', environment: 1 });

    expect((await report(promotion.id, stagingTest, 'run-b', second)).ok).toBe(true);
    expect(await phaseOf(h, promotion.id)).toMatchObject({ kind: 'awaiting_approval' });
  });

  it('lands on a promotion superseded while its step ran, as a fresh read would', async () => {
    h = openHarness();
    const older = await publish(h, shop, '1.0.0');
    const started = await startStep(older.id, deployIn(0), 'run-a');

    await publish(h, shop, '1.0.1');
    const reported = await report(older.id, deployIn(0), 'run-a', started);

    expect(reported.ok).toBe(true);
    expect(await phaseOf(h, older.id)).toMatchObject({ kind: 'superseded' });
    expect((await h.environments.current('shop', 'development'))?.version).toBe('1.0.0');
  });
});
