import { afterEach, describe, expect, it } from 'vitest';
import type { Service } from '../../../src/domain/pipeline.js';
import type { Hold } from '../../../src/domain/promotion.js';
import type { EnvironmentStore, PromotionStore } from '../../../src/engine/ports.js';
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

describe('a hold lifted while the bot stops a promotion at it', () => {
  // Another process's /unhold lands between this one reading the hold and committing the stop. That /unhold lets
  // in what waits to enter, but a gate it finds open it leaves alone: a stop committed after it (decided again
  // on the lifted hold) would keep the gate closed for good.
  function liftingBeforeTheStop(
    service: Service,
    environment: string,
  ): { wrap: (store: PromotionStore) => PromotionStore; lifted: () => boolean } {
    let lifted = false;
    const wrap = (store: PromotionStore): PromotionStore => ({
      ...store,
      async commit(expected, next, audit, entries) {
        if (!lifted && next.phase.kind === 'blocked') {
          lifted = true;
          await harness?.engine.liftHold(service, environment, OWNER);
        }
        return store.commit(expected, next, audit, entries);
      },
    });
    return { wrap, lifted: () => lifted };
  }

  it('leaves the gate open when production’s hold goes before the gate closes', async () => {
    const race = liftingBeforeTheStop(productionOnly, 'production');
    harness = openEngine(productionOnly, { promotions: race.wrap });
    const promotion = await harness.publish();
    expect((await harness.current(promotion.id)).phase.kind).toBe('awaiting_approval');

    await harness.engine.placeHold(productionOnly, freeze());

    expect(race.lifted()).toBe(true);
    expect(await harness.environments.holds('checkout')).toEqual([]);
    expect((await harness.current(promotion.id)).phase.kind).toBe('awaiting_approval');
  });

  it('lets a promotion into the environment whose hold went before it was stopped at it', async () => {
    const threeStage = aService({
      environments: [anEnvironment('development'), anEnvironment('staging'), aProduction()],
    });
    const race = liftingBeforeTheStop(threeStage, 'staging');
    harness = openEngine(threeStage, { promotions: race.wrap });
    const promotion = await harness.publish();
    await harness.environments.placeHold('checkout', freeze('staging'));

    await harness.report(promotion.id, { kind: 'deploy', environment: 0, rolloutStep: 0 });

    expect(race.lifted()).toBe(true);
    expect(await harness.environments.holds('checkout')).toEqual([]);
    expect((await harness.current(promotion.id)).phase).toMatchObject({ kind: 'deploying', environment: 1 });
  });

  it('sends a promotion waiting in the queue in at once when the hold it was being stopped at goes', async () => {
    const threeStage = aService({
      environments: [anEnvironment('development'), anEnvironment('staging'), aProduction()],
    });
    const race = liftingBeforeTheStop(threeStage, 'staging');
    harness = openEngine(threeStage, { promotions: race.wrap });
    const lock = harness.keys.lock('checkout', 'staging');
    await harness.redis.set(lock, 'another-promotion');
    const promotion = await harness.publish();
    await harness.report(promotion.id, { kind: 'deploy', environment: 0, rolloutStep: 0 });
    expect((await harness.current(promotion.id)).phase).toMatchObject({ kind: 'entering', environment: 1 });
    // Another process's /hold is in, but its use case has not reached this promotion yet; then staging frees up
    // and the sweeper sends the first in line in.
    await harness.environments.placeHold('checkout', freeze('staging'));
    await harness.redis.del(lock);

    await harness.engine.sweep(0);

    expect(race.lifted()).toBe(true);
    expect((await harness.current(promotion.id)).phase).toMatchObject({ kind: 'deploying', environment: 1 });
  });
});
