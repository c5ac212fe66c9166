import { afterEach, describe, expect, it } from 'vitest';
import type { Hold } from '../../../src/domain/promotion.js';
import type { EnvironmentStore } from '../../../src/engine/ports.js';
import { anEnvironment, aProduction, aService } from '../../support/pipeline-builder.js';
import { APPROVER, type EngineHarness, OWNER, openEngine } from './race-harness.js';

let harness: EngineHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const productionOnly = aService({ environments: [aProduction()] });
const twoStage = aService({
  environments: [anEnvironment('staging', { tests: ['acceptance'] }), aProduction()],
});

function freeze(environment = 'production'): Hold {
  return { environment, reason: 'freeze', by: OWNER, at: new Date().toISOString() };
}

describe('a hold placed while a promotion enters production', () => {
  it('keeps it out when the hold lands between taking the environment and committing the entry', async () => {
    const hold = freeze();
    let placed = false;
    // The other process's /hold writes the hold right after this one took production's lock.
    const wrap = (store: EnvironmentStore): EnvironmentStore => ({
      ...store,
      async enter(service, environment, promotionId) {
        const took = await store.enter(service, environment, promotionId);
        if (took && !placed) {
          placed = true;
          await store.placeHold(service, hold);
        }
        return took;
      },
    });
    harness = openEngine(productionOnly, { environments: wrap });
    const promotion = await harness.publish();
    expect((await harness.current(promotion.id)).phase.kind).toBe('awaiting_approval');

    await harness.commands.decide(promotion.id, 'approve', { user: APPROVER });
    // …and then finishes its use case: it stops whatever the hold now keeps out.
    await harness.engine.placeHold(productionOnly, hold);

    expect(placed).toBe(true);
    const after = await harness.current(promotion.id);
    expect(after.phase).toMatchObject({ kind: 'blocked', environment: 0 });
    expect(await harness.redis.get(harness.keys.lock('checkout', 'production'))).toBeNull();
  });
});

describe('a hold racing a promotion on its way to the gate', () => {
  it('never leaves a gate open while production is held (its last staging test passing at the same moment)', async () => {
    harness = openEngine(twoStage);
    for (let round = 0; round < 15; round++) {
      const promotion = await harness.publish();
      await harness.report(promotion.id, { kind: 'deploy', environment: 0, rolloutStep: 0 });
      await Promise.all([
        harness.report(promotion.id, { kind: 'test', environment: 0, test: 0 }),
        harness.commands.hold('checkout', 'production', 'freeze', { user: OWNER }),
      ]);
      expect(await harness.environments.hold('checkout', 'production')).toBeDefined();
      expect((await harness.current(promotion.id)).phase).toMatchObject({ kind: 'blocked', environment: 1 });
      await harness.commands.unhold('checkout', 'production', { user: OWNER });
      expect((await harness.current(promotion.id)).phase.kind).toBe('awaiting_approval');
    }
  });

  it('never leaves a gate open on a production-only service held while it is published', async () => {
    harness = openEngine(productionOnly);
    for (let round = 0; round < 15; round++) {
      const [promotion] = await Promise.all([
        harness.publish(),
        harness.commands.hold('checkout', undefined, 'incident', { user: OWNER }),
      ]);
      const phase = (await harness.current(promotion.id)).phase;
      expect(phase).toMatchObject({ kind: 'blocked', environment: 0 });
      await harness.commands.unhold('checkout', undefined, { user: OWNER });
      expect((await harness.current(promotion.id)).phase.kind).toBe('awaiting_approval');
    }
  });
});
