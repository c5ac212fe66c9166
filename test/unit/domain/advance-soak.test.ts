import { describe, expect, it } from 'vitest';
import type { Hold } from '../../../src/domain/promotion.js';
import { occupies, statusOf } from '../../../src/domain/promotion-view.js';
import { anEnvironment, aProduction, aService, HOUR, MINUTE } from '../../support/pipeline-builder.js';
import { SOAKING_STAGING } from './phase-fixtures.js';
import {
  attempt,
  deployStep,
  drive,
  type EventInput,
  effectsOfType,
  entered,
  type Flow,
  later,
  noticesIn,
  passing,
  promote,
  publish,
  restricted,
  START,
  succeeded,
  supersededBy,
  typesOf,
} from './promotion-flow.js';

const staging = 1;
const production = 2;

/** Published at `at` (default START), through development and staging's tests: soaking in staging for an hour. */
function soaking(at = START, id = 'p-1'): Flow {
  return drive(
    publish(SOAKING_STAGING, { at, id }),
    ...passing(SOAKING_STAGING, 0),
    ...passing(SOAKING_STAGING, staging),
  );
}

function soakOf(flow: Flow): { since: string; until: string } {
  const { phase } = flow.promotion;
  if (phase.kind !== 'soaking') throw new Error(`not soaking: ${phase.kind}`);
  return { since: phase.since, until: phase.until };
}

function soakEnded(until: string, at: string = until, environment = staging): EventInput {
  return { type: 'soakEnded', environment, until, at };
}

describe('a soak', () => {
  it('keeps the promotion in staging, running, for the soak after its last test passed, and wakes it then', () => {
    const flow = soaking();
    const testsPassedAt = flow.now;

    expect(flow.promotion.phase).toEqual({
      kind: 'soaking',
      environment: staging,
      since: testsPassedAt,
      until: later(testsPassedAt, HOUR),
    });
    expect(statusOf(flow.promotion.phase)).toBe('running');
    expect(flow.promotion.stages[staging]?.status).toBe('running');
    // It keeps the environment: nobody else deploys over what is soaking.
    expect(occupies(flow.promotion, staging, SOAKING_STAGING)).toBe(true);
    expect(typesOf(flow.effects)).not.toContain('leaveEnvironment');
    expect(effectsOfType(flow.effects, 'scheduleSoakEnd')).toEqual([
      { type: 'scheduleSoakEnd', environment: staging, until: later(testsPassedAt, HOUR) },
    ]);
    expect(noticesIn(flow.effects)).toEqual(['step_finished', 'soaking']);
    expect(effectsOfType(flow.effects, 'notify').at(-1)?.notice).toEqual({
      kind: 'soaking',
      environment: 'staging',
    });
  });

  it('then leaves staging, recording the soak served, and asks for production’s approval', () => {
    const flow = soaking();
    const { until } = soakOf(flow);

    const woken = drive(flow, soakEnded(until, later(until, 2000)));

    expect(woken.promotion.phase.kind).toBe('awaiting_approval');
    expect(woken.promotion.stages[staging]).toMatchObject({ status: 'passed', soakedMs: HOUR + 2000 });
    expect(effectsOfType(woken.effects, 'leaveEnvironment')).toEqual([
      { type: 'leaveEnvironment', environment: staging },
    ]);
    expect(noticesIn(woken.effects)).toEqual(['stage_passed', 'approval_requested']);
  });

  it('refuses a wake-up before the soak is over, changing nothing', () => {
    const flow = soaking();
    const { until } = soakOf(flow);

    const early = attempt(flow, soakEnded(until, later(until, -1)));

    expect(early.ok ? 'moved on' : early.reason).toBe(
      `1.4.0 soaks in staging until ${until.slice(0, 16).replace('T', ' ')} UTC`,
    );
  });

  it('refuses a stale wake-up: another soak’s end, another environment, or a promotion no longer soaking', () => {
    const flow = soaking();
    const { until } = soakOf(flow);
    const woken = drive(flow, soakEnded(until));

    expect(attempt(flow, soakEnded(later(until, MINUTE), later(until, MINUTE))).ok).toBe(false);
    expect(attempt(flow, soakEnded(until, until, 0)).ok).toBe(false);
    expect(attempt(woken, soakEnded(until, later(until, MINUTE))).ok).toBe(false);
    expect(attempt(drive(flow, supersededBy()), soakEnded(until)).ok).toBe(false);
  });

  it('starts after the deploy in an environment without tests', () => {
    const noTests = aService({
      environments: [anEnvironment('development', { soakMs: 30_000 }), aProduction()],
    });

    const flow = drive(publish(noTests), entered(0), succeeded(deployStep(0)));

    expect(flow.promotion.phase).toMatchObject({
      kind: 'soaking',
      environment: 0,
      until: later(flow.now, 30_000),
    });
  });

  it('is served before a manual promote is asked for, and a /promote while soaking is refused', () => {
    const manual = aService({
      environments: [
        anEnvironment('development', { tests: ['smoke'], promote: 'manual', soakMs: HOUR }),
        anEnvironment('staging'),
        aProduction(),
      ],
    });
    const flow = drive(publish(manual), ...passing(manual, 0));
    const { until } = soakOf(flow);

    const refused = attempt(flow, promote());
    expect(refused.ok ? 'promoted' : refused.reason).toBe(
      `1.4.0 soaks in development until ${until.slice(0, 16).replace('T', ' ')} UTC, then moves on by itself`,
    );
    const woken = drive(flow, soakEnded(until, until, 0));
    expect(woken.promotion.phase).toEqual({ kind: 'waiting', environment: 0 });
    expect(noticesIn(woken.effects)).toEqual(['stage_passed', 'waiting']);
  });

  it('ends into a hold placed on production meanwhile: held before the gate, no approval asked', () => {
    const flow = soaking();
    const { until } = soakOf(flow);
    const hold: Hold = { environment: 'production', reason: 'incident', by: 'U0ALICE', at: flow.now };

    const woken = drive(restricted(flow, { holds: [hold] }), soakEnded(until));

    expect(woken.promotion.phase).toMatchObject({ kind: 'blocked', environment: production, hold });
    expect(woken.promotion.stages[staging]).toMatchObject({ status: 'passed', soakedMs: HOUR });
    expect(noticesIn(woken.effects)).toEqual(['stage_passed', 'held']);
  });

  it('is not stopped by a hold on the environment it soaks in: holds stop promotions before they enter', () => {
    const flow = soaking();
    const { until } = soakOf(flow);
    const hold: Hold = { environment: 'staging', reason: 'incident', by: 'U0ALICE', at: flow.now };

    const woken = drive(restricted(flow, { holds: [hold] }), soakEnded(until));

    expect(woken.promotion.phase.kind).toBe('awaiting_approval');
  });

  it('no soak, or a soak of zero, moves on as soon as the tests pass', () => {
    const noSoak = aService();
    const flow = drive(publish(noSoak), ...passing(noSoak, 0), ...passing(noSoak, staging));

    expect(flow.promotion.phase.kind).toBe('awaiting_approval');
    expect(flow.promotion.stages[staging]?.soakedMs).toBeUndefined();
  });
});

describe('a newer version published during a soak', () => {
  it('supersedes the soaking one, which gives the environment up at once', () => {
    const flow = soaking();

    const overtaken = drive(flow, supersededBy('1.5.0'));

    expect(overtaken.promotion.phase).toEqual({
      kind: 'superseded',
      by: '1.5.0',
      was: flow.promotion.phase,
    });
    expect(effectsOfType(overtaken.effects, 'leaveEnvironment')).toEqual([
      { type: 'leaveEnvironment', environment: staging },
    ]);
    expect(occupies(overtaken.promotion, staging, SOAKING_STAGING)).toBe(false);
    expect(noticesIn(overtaken.effects)).toEqual(['superseded']);
  });

  it('soaks afresh: its own soak starts when its own tests pass, however much of the older one was served', () => {
    const older = soaking(START, 'p-1');
    const newerPublished = later(older.now, 20 * MINUTE);

    const newer = soaking(newerPublished, 'p-2');

    const { since, until } = soakOf(newer);
    expect(since).toBe(newer.now);
    expect(until).toBe(later(newer.now, HOUR));
    expect(Date.parse(until)).toBeGreaterThan(Date.parse(soakOf(older).until));
    // Its wake-up is its own: the older one's end does not move it on.
    expect(attempt(newer, soakEnded(soakOf(older).until)).ok).toBe(false);
    expect(drive(newer, soakEnded(until)).promotion.stages[staging]?.soakedMs).toBe(HOUR);
  });

  it('lets the newer one in only once the soaking one has given staging up', () => {
    // The engine's environment lock does the queueing; the state machine says who holds staging.
    const older = soaking();
    const overtaken = drive(older, supersededBy('1.5.0'));
    const newer = drive(publish(SOAKING_STAGING, { id: 'p-2' }), ...passing(SOAKING_STAGING, 0));

    expect(occupies(older.promotion, staging, SOAKING_STAGING)).toBe(true);
    expect(occupies(overtaken.promotion, staging, SOAKING_STAGING)).toBe(false);
    expect(newer.promotion.phase).toEqual({ kind: 'entering', environment: staging });
    expect(drive(newer, entered(staging), succeeded(deployStep(staging))).promotion.phase).toEqual({
      kind: 'testing',
      environment: staging,
      test: 0,
    });
  });
});
