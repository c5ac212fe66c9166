import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { approvalsOf } from '../../../src/domain/approval-policy.js';
import type { Effect, PromotionEventType } from '../../../src/domain/events.js';
import type { Measurement } from '../../../src/domain/promotion.js';
import { statusOf } from '../../../src/domain/promotion-view.js';
import {
  aMonitor,
  anApproval,
  anEnvironment,
  aProduction,
  aService,
  MINUTE,
} from '../../support/pipeline-builder.js';
import { plausible } from './phase-fixtures.js';
import { attempt, EVENT_TYPES, type EventInput, type Flow, publish } from './promotion-flow.js';

// Random walks through the state machine: at each step pick an event type and build the event most likely to
// apply to the promotion as it is, with a random author and random measurements. Refused events are skipped.

// Staging soaks two minutes: walks (a minute an event) soak there, and some wake-ups come early.
const service = aService({
  environments: [
    anEnvironment('development', { tests: ['smoke'] }),
    anEnvironment('staging', { tests: ['acceptance', 'load'], soakMs: 2 * MINUTE }),
    aProduction({
      approval: anApproval({ approvers: ['U0CAROL', 'U0DAVE', 'S0RELEASE'], required: 2 }),
      monitor: aMonitor({ intervalMs: MINUTE }),
    }),
  ],
});
const production = service.environments.length - 1;

const PEOPLE = ['U0CAROL', 'U0DAVE', 'U0ERIN', 'U0MALLORY', 'api'];

const MEASUREMENTS: readonly (readonly Measurement[])[] = [
  [{ metric: 'error-rate', value: 0.001, max: 0.01, verdict: 'healthy' }],
  [{ metric: 'error-rate', value: 0.5, max: 0.01, verdict: 'breach' }],
  [{ metric: 'error-rate', max: 0.01, verdict: 'inconclusive' }],
];

type Move = {
  /** Pick among the events that apply (most moves) or try any event at all. */
  readonly legalOnly: boolean;
  readonly choice: number;
  readonly person: number;
  readonly inGroup: boolean;
  readonly reject: boolean;
  readonly measurement: number;
};

const move = fc.record({
  legalOnly: fc.boolean().chain((coin) => (coin ? fc.constant(true) : fc.boolean())),
  choice: fc.noBias(fc.nat({ max: 1_000_000 })),
  person: fc.nat({ max: PEOPLE.length - 1 }),
  inGroup: fc.boolean(),
  reject: fc.nat({ max: 9 }).map((n) => n === 0),
  measurement: fc.nat({ max: MEASUREMENTS.length - 1 }),
});

/** Events that end or stall a walk are picked less often, so that walks reach production. */
const WEIGHT: Readonly<Partial<Record<PromotionEventType, number>>> = {
  superseded: 1,
  environmentHeld: 1,
  stepFailed: 1,
  rollbackRequested: 1,
  approvalExpired: 1,
};

/** The plausible event of a type; a decision comes from each person in turn, so some of them may decide. */
function eventsFor(flow: Flow, type: PromotionEventType, m: Move): EventInput[] {
  const event = plausible(flow, type);
  if (event.type === 'approvalDecided') {
    return PEOPLE.map((_, offset) => ({
      ...event,
      by: PEOPLE[(m.person + offset) % PEOPLE.length] ?? 'api',
      byGroups: m.inGroup ? ['S0RELEASE'] : [],
      decision: m.reject ? 'reject' : 'approve',
    }));
  }
  if (event.type === 'analysisCompleted')
    return [{ ...event, measurements: MEASUREMENTS[m.measurement] ?? [] }];
  return [event];
}

function pick(flow: Flow, m: Move): EventInput {
  const candidates = EVENT_TYPES.flatMap((type) => eventsFor(flow, type, m));
  const pool = m.legalOnly ? candidates.filter((event) => attempt(flow, event).ok) : candidates;
  const weighted = (pool.length > 0 ? pool : candidates).flatMap((event) =>
    Array.from({ length: WEIGHT[event.type] ?? 100 }, () => event),
  );
  const chosen = weighted[m.choice % weighted.length];
  if (!chosen) throw new Error('no candidate events');
  return chosen;
}

type Step = { readonly before: Flow; readonly effects: readonly Effect[]; readonly after: Flow };

/** Walks the moves; returns every accepted transition. Throws if `advance` itself throws. */
function walk(moves: readonly Move[], by: string): Step[] {
  let flow = publish(service, { by });
  const steps: Step[] = [];
  for (const m of moves) {
    const event = pick(flow, m);
    const at = new Date(Date.parse(flow.now) + MINUTE).toISOString();
    const before = structuredClone(flow.promotion);
    const transition = attempt(flow, { ...event, at });
    if (!transition.ok) {
      expect(flow.promotion).toEqual(before);
      continue;
    }
    const after: Flow = {
      ...flow,
      promotion: transition.promotion,
      effects: transition.effects,
      history: transition.effects, // not accumulated: walks never read it, and copying it grows each step
      now: at,
    };
    steps.push({ before: flow, effects: transition.effects, after });
    flow = after;
  }
  return steps;
}

/** Each walk is up to 150 events long, most of them through the whole pipeline: fewer runs go a long way. */
const RUNS = { numRuns: 40 };

const walks = fc.tuple(
  fc.array(move, { minLength: 1, maxLength: 150, size: 'max' }),
  fc.constantFrom(...PEOPLE),
);

describe('any walk through the state machine', () => {
  it('never throws and leaves refused promotions unchanged', () => {
    fc.assert(
      fc.property(walks, ([moves, by]) => {
        expect(() => walk(moves, by)).not.toThrow();
      }),
      RUNS,
    );
  });

  it('only enters production with the required approvals from people other than its requester', () => {
    fc.assert(
      fc.property(walks, ([moves, by]) => {
        let requester = by;
        for (const { effects, after } of walk(moves, by)) {
          if (after.promotion.phase.kind === 'awaiting_approval')
            requester = after.promotion.phase.requestedBy;
          if (
            !effects.some((effect) => effect.type === 'enterEnvironment' && effect.environment === production)
          )
            continue;
          expect(approvalsOf(after.promotion)).toBeGreaterThanOrEqual(2);
          const approvers = after.promotion.approvals
            .filter((a) => a.decision === 'approve')
            .map((a) => a.by);
          expect(new Set(approvers).size).toBe(approvers.length);
          expect(approvers).not.toContain(requester);
        }
      }),
      RUNS,
    );
  });

  it('enters environments in order: each only after the one before it passed', () => {
    fc.assert(
      fc.property(walks, ([moves, by]) => {
        for (const { effects, after } of walk(moves, by)) {
          for (const effect of effects) {
            if (effect.type !== 'enterEnvironment' || effect.environment === 0) continue;
            expect(after.promotion.stages[effect.environment - 1]?.status).toBe('passed');
          }
        }
      }),
      RUNS,
    );
  });

  it('leaves a soak only once it is served, or when a newer version supersedes it', () => {
    fc.assert(
      fc.property(walks, ([moves, by]) => {
        for (const { before, after } of walk(moves, by)) {
          const was = before.promotion.phase;
          const now = after.promotion.phase;
          if (was.kind !== 'soaking' || now.kind === 'soaking' || now.kind === 'superseded') continue;
          expect(Date.parse(after.now)).toBeGreaterThanOrEqual(Date.parse(was.until));
          expect(after.promotion.stages[was.environment]?.soakedMs).toBe(
            Date.parse(after.now) - Date.parse(was.since),
          );
        }
      }),
      RUNS,
    );
  });

  it('runs production steps only after production was entered', () => {
    fc.assert(
      fc.property(walks, ([moves, by]) => {
        for (const { effects, after } of walk(moves, by)) {
          for (const effect of effects) {
            if (effect.type !== 'runStep' || effect.step.environment !== production) continue;
            expect(after.promotion.stages[production]?.startedAt).toBeDefined();
          }
        }
      }),
      RUNS,
    );
  });

  it('never moves a terminal promotion other than rolling back a release or draining a superseded one', () => {
    fc.assert(
      fc.property(walks, ([moves, by]) => {
        for (const { before, after } of walk(moves, by)) {
          const was = before.promotion.phase;
          if (was.kind === 'failed' || was.kind === 'rolled_back') throw new Error(`${was.kind} moved`);
          if (was.kind === 'released')
            expect(after.promotion.phase).toMatchObject({ kind: 'rolling_back', released: true });
          if (was.kind === 'superseded') {
            expect(was.draining).toBeDefined();
            const { draining: _drained, ...stopped } = was;
            expect(after.promotion.phase).toEqual(stopped);
          }
        }
      }),
      RUNS,
    );
  });

  it('always has a status from the contract', () => {
    const statuses = new Set([
      'running',
      'waiting',
      'awaiting_approval',
      'held',
      'failed',
      'rolling_back',
      'rolled_back',
      'released',
      'superseded',
    ]);
    fc.assert(
      fc.property(walks, ([moves, by]) => {
        for (const { after } of walk(moves, by))
          expect(statuses.has(statusOf(after.promotion.phase))).toBe(true);
      }),
      RUNS,
    );
  });
});
