import { describe, expect, it } from 'vitest';
import type { PromotionEventType, StepRef } from '../../../src/domain/events.js';
import { dueStep, PHASE_KINDS, phaseFixtures, plausible } from './phase-fixtures.js';
import {
  attempt,
  checked,
  deployStep,
  drive,
  EVENT_TYPES,
  entered,
  failed,
  inProduction,
  publish,
  rollbackRequested,
  rollbackStep,
  started,
  succeeded,
  testStep,
} from './promotion-flow.js';

const STEP_EVENTS: readonly PromotionEventType[] = ['stepStarted', 'stepSucceeded', 'stepFailed'];

/** The only events each phase accepts; every other pair must be refused. */
const LEGAL: Readonly<Record<string, readonly PromotionEventType[]>> = {
  'entering development': ['environmentEntered', 'environmentHeld', 'superseded'],
  'deploying to development': [...STEP_EVENTS, 'superseded'],
  'testing in development': [...STEP_EVENTS, 'superseded'],
  'waiting for a manual promote': ['promoteRequested', 'superseded'],
  'soaking in staging': ['soakEnded', 'superseded'],
  'blocked by a hold': ['holdReleased', 'superseded'],
  'frozen by a window': ['freezeEnded', 'superseded'],
  'awaiting approval': ['approvalDecided', 'approvalExpired', 'environmentHeld', 'superseded'],
  'rejected at the gate': ['promoteRequested', 'superseded'],
  'with an expired approval': ['promoteRequested', 'superseded'],
  'approved and entering production': ['environmentEntered', 'environmentHeld'],
  'deploying a rollout step': [...STEP_EVENTS, 'rollbackRequested'],
  'testing in production': [...STEP_EVENTS, 'rollbackRequested'],
  'analysing a rollout step': ['analysisCompleted', 'rollbackRequested'],
  'asking about missing data': ['inconclusiveDecided', 'inconclusiveUnanswered', 'rollbackRequested'],
  'rolling back': STEP_EVENTS,
  failed: [],
  'rolled back': [],
  released: ['rollbackRequested'],
  'superseded with a step in flight': ['stepSucceeded', 'stepFailed'],
  superseded: [],
};

function everyStepRef(environments: number): StepRef[] {
  return Array.from({ length: environments }, (_, environment) => [
    deployStep(environment, 0),
    deployStep(environment, 1),
    deployStep(environment, 2),
    testStep(environment, 0),
    testStep(environment, 1),
    rollbackStep(environment),
  ]).flat();
}

function describeRef(step: StepRef): string {
  if (step.kind === 'deploy') return `deploy ${step.environment}.${step.rolloutStep}`;
  if (step.kind === 'test') return `test ${step.environment}.${step.test}`;
  return `rollback ${step.environment}`;
}

const fixtures = phaseFixtures();

describe('the phase fixtures', () => {
  it('cover every phase kind', () => {
    const covered = new Set(fixtures.map((fixture) => fixture.flow.promotion.phase.kind));

    expect([...covered].sort()).toEqual(Object.keys(PHASE_KINDS).sort());
  });

  it('list the legal events of every fixture', () => {
    expect(fixtures.map((fixture) => fixture.label).sort()).toEqual(Object.keys(LEGAL).sort());
  });
});

describe('every event in every phase', () => {
  for (const { label, flow } of fixtures) {
    const legal = LEGAL[label] ?? [];
    for (const type of EVENT_TYPES) {
      if (legal.includes(type)) {
        it(`accepts ${type} while ${label}`, () => {
          const transition = attempt(flow, plausible(flow, type));

          expect(transition.ok ? 'accepted' : transition.reason).toBe('accepted');
        });
      } else {
        it(`refuses ${type} while ${label}, with a reason, changing nothing`, () => {
          const before = structuredClone(flow.promotion);

          const transition = attempt(flow, plausible(flow, type));

          expect(transition.ok).toBe(false);
          expect(transition.ok ? '' : transition.reason).toMatch(/\w/);
          expect(flow.promotion).toEqual(before);
        });
      }
    }
  }
});

describe('step reports in every phase', () => {
  for (const { label, flow } of fixtures) {
    const due = dueStep(flow);
    const legal = LEGAL[label] ?? [];
    const { phase } = flow.promotion;
    it(`accepts a report only for the step that is due while ${label}`, () => {
      const accepted: string[] = [];
      for (const step of everyStepRef(flow.service.environments.length)) {
        for (const event of [started(step), succeeded(step), failed(step)]) {
          if (attempt(flow, event).ok) accepted.push(`${event.type} ${describeRef(step)}`);
        }
      }

      const draining = phase.kind === 'superseded' ? phase.draining : undefined;
      const expected = everyStepRef(flow.service.environments.length)
        .filter((step) => (draining === undefined ? sameStep(step, due) : step.environment === draining))
        .flatMap((step) =>
          STEP_EVENTS.filter((type) => legal.includes(type)).map((type) => `${type} ${describeRef(step)}`),
        );
      expect(accepted.sort()).toEqual(expected.sort());
    });
  }
});

function sameStep(a: StepRef, b: StepRef): boolean {
  return describeRef(a) === describeRef(b);
}

describe('stale and duplicate reports', () => {
  it('refuses the same deploy success twice', () => {
    const once = drive(publish(), entered(0), succeeded(deployStep(0)));

    expect(attempt(once, succeeded(deployStep(0))).ok).toBe(false);
  });

  it('refuses the same test success twice', () => {
    const once = drive(publish(), entered(0), succeeded(deployStep(0)), succeeded(testStep(0, 0)));

    expect(attempt(once, succeeded(testStep(0, 0))).ok).toBe(false);
  });

  it('refuses a failure report for a step that already succeeded', () => {
    const once = drive(publish(), entered(0), succeeded(deployStep(0)));

    expect(attempt(once, failed(deployStep(0))).ok).toBe(false);
  });

  it('refuses a report for the previous environment once the next is deploying', () => {
    const staging = drive(
      publish(),
      entered(0),
      succeeded(deployStep(0)),
      succeeded(testStep(0, 0)),
      entered(1),
    );

    expect(attempt(staging, succeeded(deployStep(0))).ok).toBe(false);
    expect(attempt(staging, failed(testStep(0, 0))).ok).toBe(false);
  });

  it('refuses a late development deploy report while production deploys its first step', () => {
    const production = inProduction();

    const transition = attempt(production, succeeded(deployStep(0, 0)));

    expect(transition.ok).toBe(false);
  });

  it('refuses a late staging test report while production runs its first test', () => {
    const withTests = phaseFixtures().find((fixture) => fixture.label === 'testing in production');
    if (!withTests) throw new Error('missing fixture');

    expect(attempt(withTests.flow, failed(testStep(1, 0))).ok).toBe(false);
  });

  it('refuses a rollback report for an environment other than production', () => {
    const rollingBack = phaseFixtures().find((fixture) => fixture.label === 'rolling back');
    if (!rollingBack) throw new Error('missing fixture');

    expect(attempt(rollingBack.flow, succeeded(rollbackStep(1))).ok).toBe(false);
  });

  it('refuses an earlier rollout step reported after the next one started', () => {
    const canary = drive(inProduction(), succeeded(deployStep(2, 0)));

    expect(attempt(canary, succeeded(deployStep(2, 0))).ok).toBe(false);
    expect(attempt(canary, succeeded(deployStep(2, 1))).ok).toBe(false);
  });

  it('refuses analysis checks out of order', () => {
    const canary = drive(inProduction(), succeeded(deployStep(2, 0)));

    expect(attempt(canary, checked(0, 2)).ok).toBe(false);
    expect(attempt(canary, checked(0, 0)).ok).toBe(false);
    expect(attempt(canary, checked(1, 1)).ok).toBe(false);
    expect(attempt(canary, checked(0, 1)).ok).toBe(true);
  });

  it('refuses the same analysis check twice', () => {
    const once = drive(inProduction(), succeeded(deployStep(2, 0)), checked(0, 1));

    const transition = attempt(once, checked(0, 1));

    expect(transition.ok ? '' : transition.reason).toContain('analysis 0.1 is not due');
  });

  it('refuses an analysis check that arrives after a manual rollback', () => {
    const rolling = drive(inProduction(), succeeded(deployStep(2, 0)), rollbackRequested());

    expect(attempt(rolling, checked(0, 1)).ok).toBe(false);
  });

  it('refuses an environmentEntered for an environment the promotion is not entering', () => {
    expect(attempt(publish(), entered(1)).ok).toBe(false);
  });
});
