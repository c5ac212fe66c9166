import { afterEach, describe, expect, it } from 'vitest';
import type { PromotionEvent } from '../../../src/domain/events.js';
import type { Promotion } from '../../../src/domain/promotion.js';
import type { PromotionStore } from '../../../src/engine/ports.js';
import {
  current,
  deployIn,
  type Harness,
  type HarnessOptions,
  jobsIn,
  ledger,
  openHarness,
  PIPELINE,
  phaseOf,
  publish,
  shop,
  succeed,
} from './engine-harness.js';

// dispatch: read a snapshot, decide with the state machine, compare-and-set, carry out the effects.

let h: Harness;

function open(options: HarnessOptions = {}): Harness {
  h = openHarness(options);
  return h;
}

afterEach(async () => {
  await h.close();
});

describe('dispatching an event', () => {
  it('commits the transition, tells the observer and queues the next step with its retries', async () => {
    const observed: Array<{ before: string; event: PromotionEvent['type']; after: string }> = [];
    open({
      observe: (before, event, after) =>
        observed.push({ before: before.phase.kind, event: event.type, after: after.phase.kind }),
    });
    const promotion = await publish(h, ledger, '1.0.0');

    const answer = await succeed(h, promotion.id, deployIn(0));

    expect(answer).toMatchObject({ ok: true, promotion: { phase: { kind: 'entering', environment: 1 } } });
    expect(await phaseOf(h, promotion.id)).toEqual({ kind: 'deploying', environment: 1 });
    expect(observed).toEqual([
      { before: 'entering', event: 'environmentEntered', after: 'deploying' },
      { before: 'deploying', event: 'stepSucceeded', after: 'entering' },
      { before: 'entering', event: 'environmentEntered', after: 'deploying' },
    ]);
    // Staging's deploy has two retries: three attempts in all.
    expect(await jobsIn(h, 'deploy')).toEqual([
      {
        id: `${promotion.id}.deploy.0.0`,
        name: 'deploy',
        data: { promotionId: promotion.id, service: 'ledger', step: deployIn(0) },
        delay: 0,
        attempts: 1,
      },
      {
        id: `${promotion.id}.deploy.1.0`,
        name: 'deploy',
        data: { promotionId: promotion.id, service: 'ledger', step: deployIn(1) },
        delay: 0,
        attempts: 3,
      },
    ]);
    expect((await h.promotions.events(promotion.id)).map((entry) => entry.type)).toEqual([
      'published',
      'environmentEntered',
      'stepSucceeded',
      'environmentEntered',
    ]);
  });

  it('refuses an event that does not fit the phase, and changes nothing', async () => {
    open();
    const promotion = await publish(h, shop, '1.0.0');
    const before = await h.promotions.get(promotion.id);

    const answer = await succeed(h, promotion.id, deployIn(1));

    expect(answer).toEqual({ ok: false, reason: 'step deploy #0 in environment 1 is not due' });
    expect(await h.promotions.get(promotion.id)).toEqual(before);
  });

  it('refuses on a snapshot the caller read only once the newest state refuses too', async () => {
    open();
    const promotion = await publish(h, shop, '1.0.0');
    const known = await h.promotions.snapshot(promotion.id);
    if (!known) throw new Error('no snapshot');
    // Another process moves it on: development passed, staging deploying.
    await h.other.engine.dispatch(promotion.id, {
      type: 'stepSucceeded',
      step: deployIn(0),
      result: { durationMs: 1, exitCode: 0, output: [] },
    });

    const answer = await succeed(h, promotion.id, deployIn(1), known);

    expect(answer).toMatchObject({ ok: true, promotion: { phase: { kind: 'testing', environment: 1 } } });
  });

  it('says no on a current snapshot the caller read', async () => {
    open();
    const promotion = await publish(h, shop, '1.0.0');
    const known = await h.promotions.snapshot(promotion.id);
    if (!known) throw new Error('no snapshot');

    const answer = await h.engine.dispatch(promotion.id, { type: 'promoteRequested', by: 'U0ALICE' }, known);

    expect(answer).toEqual({
      ok: false,
      reason: '1.0.0 is deploying to development, not waiting for a promote',
    });
  });

  it('does not find a promotion removed after the caller read it', async () => {
    open();
    const promotion = await publish(h, shop, '1.0.0');
    const known = await h.promotions.snapshot(promotion.id);
    if (!known) throw new Error('no snapshot');
    await h.redis.del(h.keys.promotion('shop', promotion.id));

    const answer = await h.engine.dispatch(promotion.id, { type: 'promoteRequested', by: 'U0ALICE' }, known);

    expect(answer).toEqual({ ok: false, reason: `no promotion ${promotion.id}` });
  });

  it('answers that there is no such promotion for an unknown id', async () => {
    open();

    expect(await h.engine.dispatch('nope-1234', { type: 'promoteRequested', by: 'U0ALICE' })).toEqual({
      ok: false,
      reason: 'no promotion nope-1234',
    });
  });

  it('refuses to move a promotion of a service the pipeline file no longer has', async () => {
    open();
    const promotion = await publish(h, shop, '1.0.0');
    const reloaded = h.withPipeline({
      services: new Map([...PIPELINE.services].filter(([name]) => name !== 'shop')),
    });

    const answer = await reloaded.engine.dispatch(promotion.id, {
      type: 'stepSucceeded',
      step: deployIn(0),
      result: { durationMs: 1, exitCode: 0, output: [] },
    });

    expect(answer).toEqual({ ok: false, reason: 'service shop is not in the pipeline file' });
    expect(await phaseOf(h, promotion.id)).toEqual({ kind: 'deploying', environment: 0 });
  });
});

/** Runs `before` once, just before the first commit that matches, as a process racing this one would. */
function raceFirstCommit(
  before: (next: Promotion) => Promise<void>,
  matches: (next: Promotion) => boolean = () => true,
): (real: PromotionStore) => PromotionStore {
  let raced = false;
  return (real): PromotionStore => ({
    ...real,
    async commit(expected, next, audit, effects) {
      if (!raced && matches(next)) {
        raced = true;
        await before(next);
      }
      return real.commit(expected, next, audit, effects);
    },
  });
}

describe('compare-and-set', () => {
  it('decides again on the newest state when another process committed in between', async () => {
    open({
      promotions: raceFirstCommit(
        async (next) => {
          await h.other.engine.dispatch(next.id, { type: 'stepStarted', step: deployIn(0), run: 'run-7' });
        },
        (next) => next.phase.kind === 'entering' && next.phase.environment === 1,
      ),
    });
    const promotion = await publish(h, shop, '1.0.0');

    const answer = await succeed(h, promotion.id, deployIn(0));

    expect(answer.ok).toBe(true);
    const moved = await current(h, promotion.id);
    expect(moved.phase).toEqual({ kind: 'deploying', environment: 1 });
    // Decided again on top of the other process's record: its running step is the one that passed.
    expect(moved.stages[0]?.steps.map((step) => [step.name, step.status])).toEqual([['deploy', 'passed']]);
    expect((await h.promotions.events(promotion.id)).map((entry) => entry.type)).toEqual([
      'published',
      'environmentEntered',
      'stepStarted',
      'stepSucceeded',
      'environmentEntered',
    ]);
  });

  it('decides again when a hold is placed between the read and the commit', async () => {
    open({
      promotions: raceFirstCommit(
        async () => {
          await h.environments.placeHold('shop', {
            environment: 'staging',
            reason: 'load test',
            by: 'U0ALICE',
            at: h.clock.now().toISOString(),
          });
        },
        (next) => next.phase.kind === 'entering' && next.phase.environment === 1,
      ),
    });
    const promotion = await publish(h, shop, '1.0.0');

    await succeed(h, promotion.id, deployIn(0));

    expect(await phaseOf(h, promotion.id)).toMatchObject({
      kind: 'blocked',
      environment: 1,
      hold: { reason: 'load test', by: 'U0ALICE' },
    });
    expect((await jobsIn(h, 'deploy')).map((job) => job.id)).toEqual([`${promotion.id}.deploy.0.0`]);
    expect(h.notifier.kindsFor(promotion.id)).toContain('held');
  });

  it('gives up with an error when every commit loses the race', async () => {
    let losing = false;
    let attempts = 0;
    open({
      promotions: (real) => ({
        ...real,
        async commit(expected, next, audit, effects) {
          if (!losing) return real.commit(expected, next, audit, effects);
          attempts += 1;
          return false;
        },
      }),
    });
    const promotion = await publish(h, shop, '1.0.0');
    const before = await h.promotions.get(promotion.id);
    losing = true;

    await expect(succeed(h, promotion.id, deployIn(0))).rejects.toThrow(
      `promotion ${promotion.id} is changing too fast to update (50 conflicts in a row)`,
    );
    expect(attempts).toBe(50);
    expect(await h.promotions.get(promotion.id)).toEqual(before);
  });
});

describe('a dry run', () => {
  it('answers what the event would do, and changes nothing', async () => {
    open();
    const promotion = await publish(h, shop, '1.0.0');
    const before = await h.promotions.get(promotion.id);
    const notices = h.notifier.notices.length;

    const answer = await h.engine.dryRun(promotion.id, {
      type: 'stepSucceeded',
      step: deployIn(0),
      result: { durationMs: 1, exitCode: 0, output: [] },
    });

    expect(answer).toMatchObject({ ok: true, promotion: { phase: { kind: 'entering', environment: 1 } } });
    expect(await h.promotions.get(promotion.id)).toEqual(before);
    expect(h.notifier.notices).toHaveLength(notices);
    expect(await h.promotions.pendingEffects('shop')).toEqual([]);
  });

  it('answers why the event would be refused', async () => {
    open();
    const promotion = await publish(h, shop, '1.0.0');

    expect(await h.engine.dryRun(promotion.id, { type: 'rollbackRequested', by: 'U0ALICE' })).toEqual({
      ok: false,
      reason: '1.0.0 is not in production (it is deploying to development)',
    });
    expect(await h.engine.dryRun('nope-1234', { type: 'rollbackRequested', by: 'U0ALICE' })).toEqual({
      ok: false,
      reason: 'no promotion nope-1234',
    });
  });
});
