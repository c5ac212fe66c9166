import { afterEach, describe, expect, it } from 'vitest';
import type { PromotionStore } from '../../../src/engine/ports.js';
import { deployIn, type Harness, openHarness, phaseOf, publish, shop } from './engine-harness.js';

// Attacks on the outbox entries a run has carried out but not yet removed: they sit in the outbox until the run
// ends, where another process's sweeper sees them once they are older than its cutoff.

let h: Harness;
afterEach(async () => {
  await h.close();
});

const SWEEP_AFTER = 15_000;
const RESULT = { durationMs: 1200, exitCode: 0, output: ['ok'] };

describe('a run that stalls before it removes the entries it carried out', () => {
  it('does not let another process put back a deployment record the environment has moved past', async () => {
    // The run that deploys 1.0.0 to development also hands development to 1.0.1, whose deploy is queued; then
    // Redis is slow for longer than the sweeper's cutoff. Meanwhile a worker deploys 1.0.1 and another process
    // sweeps.
    let stalled = false;
    let successorId = '';
    h = openHarness({
      promotions: (real: PromotionStore) => ({
        ...real,
        async completeEffects(service, ids) {
          if (!stalled && successorId !== '' && ids.some((id) => id.startsWith(`${successorId}.`))) {
            stalled = true;
            await h.other.engine.dispatch(successorId, {
              type: 'stepSucceeded',
              step: deployIn(0),
              result: RESULT,
            });
            h.clock.advance(SWEEP_AFTER + 1000);
            await h.other.engine.sweep(SWEEP_AFTER);
          }
          return real.completeEffects(service, ids);
        },
      }),
    });
    const first = await publish(h, shop, '1.0.0');
    const successor = await publish(h, shop, '1.0.1');
    successorId = successor.id;

    await h.engine.dispatch(first.id, { type: 'stepSucceeded', step: deployIn(0), result: RESULT });

    expect(stalled).toBe(true);
    expect(await phaseOf(h, successor.id)).toMatchObject({ kind: 'deploying', environment: 1 });
    expect((await h.environments.current('shop', 'development'))?.version).toBe('1.0.1');
  });
});
