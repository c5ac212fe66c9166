import { describe, expect, it } from 'vitest';
import type { PromotionStatus } from '../../../src/domain/promotion.js';
import {
  environmentIndexOf,
  environmentOf,
  expectsStep,
  isDraining,
  isTerminal,
  occupies,
  statusOf,
} from '../../../src/domain/promotion-view.js';
import { aService } from '../../support/pipeline-builder.js';
import { phaseFixtures } from './phase-fixtures.js';
import {
  approve,
  atTheGate,
  deployStep,
  drive,
  entered,
  type Flow,
  passing,
  publish,
  rollbackRequested,
  rollbackStep,
  succeeded,
  supersededBy,
  testStep,
} from './promotion-flow.js';

const fixtures = phaseFixtures();

function fixture(label: string): Flow {
  const found = fixtures.find((candidate) => candidate.label === label);
  if (!found) throw new Error(`no fixture "${label}"`);
  return found.flow;
}

const STATUS: Readonly<Record<string, PromotionStatus>> = {
  'entering development': 'running',
  'deploying to development': 'running',
  'testing in development': 'running',
  'soaking in staging': 'running',
  'waiting for a manual promote': 'waiting',
  'blocked by a hold': 'held',
  'frozen by a window': 'held',
  'awaiting approval': 'awaiting_approval',
  'rejected at the gate': 'held',
  'with an expired approval': 'held',
  'approved and entering production': 'running',
  'deploying a rollout step': 'running',
  'testing in production': 'running',
  'analysing a rollout step': 'running',
  'asking about missing data': 'running',
  'rolling back': 'rolling_back',
  failed: 'failed',
  'rolled back': 'rolled_back',
  released: 'released',
  'superseded with a step in flight': 'superseded',
  superseded: 'superseded',
};

const TERMINAL: ReadonlySet<PromotionStatus> = new Set(['failed', 'rolled_back', 'released', 'superseded']);

describe('statusOf', () => {
  for (const { label, flow } of fixtures) {
    it(`says ${STATUS[label]} for a promotion ${label}`, () => {
      expect(statusOf(flow.promotion.phase)).toBe(STATUS[label]);
    });
  }

  it('only ever answers with a status of the contract', () => {
    const contract: PromotionStatus[] = [
      'running',
      'waiting',
      'awaiting_approval',
      'held',
      'failed',
      'rolling_back',
      'rolled_back',
      'released',
      'superseded',
    ];

    expect(new Set(fixtures.map(({ flow }) => statusOf(flow.promotion.phase)))).toEqual(new Set(contract));
  });
});

describe('isTerminal', () => {
  for (const { label, flow } of fixtures) {
    const terminal = TERMINAL.has(STATUS[label] ?? 'running');
    it(`is ${terminal} for a promotion ${label}`, () => {
      expect(isTerminal(flow.promotion)).toBe(terminal);
    });
  }
});

describe('environmentIndexOf and environmentOf', () => {
  it('name the environment a running promotion is in', () => {
    const flow = fixture('testing in development');

    expect(environmentIndexOf(flow.promotion, flow.service)).toBe(0);
    expect(environmentOf(flow.promotion, flow.service)).toBe('development');
  });

  it('name production for a promotion at the gate or beyond', () => {
    for (const label of [
      'awaiting approval',
      'rejected at the gate',
      'analysing a rollout step',
      'released',
    ]) {
      const flow = fixture(label);

      expect(environmentOf(flow.promotion, flow.service)).toBe('production');
    }
  });

  it('name the environment a promotion failed in', () => {
    const service = aService();
    const flow = drive(publish(service), ...passing(service, 0), entered(1), {
      type: 'stepFailed',
      step: deployStep(1),
      result: { durationMs: 1, output: [] },
    });

    expect(environmentOf(flow.promotion, flow.service)).toBe('staging');
  });

  it('name the last environment a superseded promotion reached', () => {
    const service = aService();
    const flow = drive(publish(service), ...passing(service, 0), entered(1), supersededBy());

    expect(environmentOf(flow.promotion, flow.service)).toBe('staging');
  });

  it('name the first environment for a promotion superseded before it entered anything', () => {
    const flow = fixture('superseded');

    expect(environmentIndexOf(flow.promotion, flow.service)).toBe(0);
  });
});

describe('expectsStep', () => {
  it('expects the deploy of the environment being deployed', () => {
    const flow = fixture('deploying to development');

    expect(expectsStep(flow.promotion, deployStep(0))).toBe(true);
    expect(expectsStep(flow.promotion, deployStep(0, 1))).toBe(false);
    expect(expectsStep(flow.promotion, deployStep(1))).toBe(false);
    expect(expectsStep(flow.promotion, testStep(0, 0))).toBe(false);
  });

  it('expects only the test that is running', () => {
    const flow = fixture('testing in development');

    expect(expectsStep(flow.promotion, testStep(0, 0))).toBe(true);
    expect(expectsStep(flow.promotion, testStep(0, 1))).toBe(false);
    expect(expectsStep(flow.promotion, deployStep(0))).toBe(false);
  });

  it('expects the production deploy of the current rollout step', () => {
    const flow = fixture('deploying a rollout step');

    expect(expectsStep(flow.promotion, deployStep(2, 0))).toBe(true);
    expect(expectsStep(flow.promotion, deployStep(2, 1))).toBe(false);
    expect(expectsStep(flow.promotion, deployStep(0, 0))).toBe(false);
  });

  it('expects a production test only in production', () => {
    const flow = fixture('testing in production');

    expect(expectsStep(flow.promotion, testStep(2, 0))).toBe(true);
    expect(expectsStep(flow.promotion, testStep(1, 0))).toBe(false);
    expect(expectsStep(flow.promotion, deployStep(2, 0))).toBe(false);
  });

  it('expects no step while analysing', () => {
    const flow = fixture('analysing a rollout step');

    expect(expectsStep(flow.promotion, deployStep(2, 0))).toBe(false);
    expect(expectsStep(flow.promotion, rollbackStep(2))).toBe(false);
  });

  it('expects the production rollback while rolling back', () => {
    const flow = fixture('rolling back');

    expect(expectsStep(flow.promotion, rollbackStep(2))).toBe(true);
    expect(expectsStep(flow.promotion, rollbackStep(0))).toBe(false);
    expect(expectsStep(flow.promotion, deployStep(2, 0))).toBe(false);
  });

  it('expects nothing of a promotion that is waiting, held, at the gate or done', () => {
    for (const label of [
      'waiting for a manual promote',
      'blocked by a hold',
      'awaiting approval',
      'released',
      'failed',
    ]) {
      const { promotion } = fixture(label);

      expect(expectsStep(promotion, deployStep(0))).toBe(false);
      expect(expectsStep(promotion, deployStep(2))).toBe(false);
      expect(expectsStep(promotion, rollbackStep(2))).toBe(false);
    }
  });
});

describe('isDraining', () => {
  it('is true for any step of the environment a superseded promotion still holds', () => {
    const { promotion } = fixture('superseded with a step in flight');

    expect(isDraining(promotion, deployStep(0))).toBe(true);
    expect(isDraining(promotion, testStep(0, 0))).toBe(true);
    expect(isDraining(promotion, deployStep(1))).toBe(false);
  });

  it('is false once the in-flight step has reported', () => {
    const flow = drive(fixture('superseded with a step in flight'), succeeded(deployStep(0)));

    expect(isDraining(flow.promotion, deployStep(0))).toBe(false);
  });

  it('is false for a promotion that was not superseded', () => {
    expect(isDraining(fixture('deploying to development').promotion, deployStep(0))).toBe(false);
  });
});

describe('occupies', () => {
  const cases: readonly (readonly [string, readonly number[]])[] = [
    ['entering development', []],
    ['deploying to development', [0]],
    ['testing in development', [0]],
    ['soaking in staging', [1]],
    ['waiting for a manual promote', []],
    ['blocked by a hold', []],
    ['frozen by a window', []],
    ['awaiting approval', []],
    ['rejected at the gate', []],
    ['with an expired approval', []],
    ['approved and entering production', []],
    ['deploying a rollout step', [2]],
    ['testing in production', [2]],
    ['analysing a rollout step', [2]],
    ['asking about missing data', [2]],
    ['rolling back', [2]],
    ['failed', []],
    ['rolled back', []],
    ['released', []],
    ['superseded with a step in flight', [0]],
    ['superseded', []],
  ];

  for (const [label, held] of cases) {
    it(`holds ${held.length === 0 ? 'no environment' : `environment ${held.join(', ')}`} while ${label}`, () => {
      const flow = fixture(label);

      const occupied = [0, 1, 2].filter((index) => occupies(flow.promotion, index, flow.service));

      expect(occupied).toEqual(held);
    });
  }

  it('does not hold production while rolling back a release, which left it already', () => {
    const flow = drive(fixture('released'), rollbackRequested());

    expect(flow.promotion.phase).toMatchObject({ kind: 'rolling_back', released: true });
    expect(occupies(flow.promotion, 2, flow.service)).toBe(false);
  });

  it('covers every fixture', () => {
    expect(cases.map(([label]) => label).sort()).toEqual(fixtures.map((candidate) => candidate.label).sort());
  });

  it('does not hold production while approved but not yet entered', () => {
    const flow = drive(atTheGate(), approve());

    expect(occupies(flow.promotion, 2, flow.service)).toBe(false);
  });
});
