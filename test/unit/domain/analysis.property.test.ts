import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AnalysisCounters, countCheck, decide, type Verdict } from '../../../src/domain/analysis.js';
import type { Measurement } from '../../../src/domain/promotion.js';
import { aCanaryDeploy, aMonitor, aServiceWithProduction, MINUTE } from '../../support/pipeline-builder.js';
import {
  attempt,
  checked,
  deployStep,
  drive,
  type Flow,
  inProduction,
  PREDECESSOR,
  succeeded,
} from './promotion-flow.js';

const verdict = fc.constantFrom<Verdict>('healthy', 'breach', 'inconclusive');
const limit = fc.integer({ min: 1, max: 5 });

/**
 * The reference reading of "consecutive": breaches since the last healthy check (missing data does not
 * interrupt them), and inconclusive checks since the last healthy check or breach.
 */
function runsOf(verdicts: readonly Verdict[]): { breaches: number; inconclusive: number } {
  let breaches = 0;
  let inconclusive = 0;
  for (const v of verdicts) {
    if (v === 'healthy') {
      breaches = 0;
      inconclusive = 0;
    } else if (v === 'breach') {
      breaches += 1;
      inconclusive = 0;
    } else {
      inconclusive += 1;
    }
  }
  return { breaches, inconclusive };
}

function decisions(
  verdicts: readonly Verdict[],
  limits: { failureLimit: number; inconclusiveLimit: number },
) {
  const result: ReturnType<typeof decide>[] = [];
  let counters: AnalysisCounters = { breaches: 0, inconclusive: 0 };
  for (const v of verdicts) {
    counters = countCheck(counters, v);
    result.push(decide(counters, limits));
  }
  return result;
}

describe('the rollback decision, for any sequence of checks', () => {
  it('never rolls back for breaches before failureLimit breaches in a row', () => {
    fc.assert(
      fc.property(
        fc.array(verdict, { maxLength: 40 }),
        limit,
        limit,
        (verdicts, failureLimit, inconclusiveLimit) => {
          const made = decisions(verdicts, { failureLimit, inconclusiveLimit });

          made.forEach((decision, index) => {
            if (decision === 'rollback-breach') {
              expect(runsOf(verdicts.slice(0, index + 1)).breaches).toBeGreaterThanOrEqual(failureLimit);
            }
          });
        },
      ),
    );
  });

  it('always rolls back once there are failureLimit breaches in a row', () => {
    fc.assert(
      fc.property(
        fc.array(verdict, { maxLength: 40 }),
        limit,
        limit,
        (verdicts, failureLimit, inconclusiveLimit) => {
          const made = decisions(verdicts, { failureLimit, inconclusiveLimit });

          made.forEach((decision, index) => {
            if (runsOf(verdicts.slice(0, index + 1)).breaches >= failureLimit)
              expect(decision).toBe('rollback-breach');
          });
        },
      ),
    );
  });

  it('rolls back for missing data exactly when inconclusiveLimit inconclusive checks follow the last breach or healthy check', () => {
    fc.assert(
      fc.property(
        fc.array(verdict, { maxLength: 40 }),
        limit,
        limit,
        (verdicts, failureLimit, inconclusiveLimit) => {
          const made = decisions(verdicts, { failureLimit, inconclusiveLimit });

          made.forEach((decision, index) => {
            const runs = runsOf(verdicts.slice(0, index + 1));
            const expected = runs.breaches < failureLimit && runs.inconclusive >= inconclusiveLimit;
            expect(decision === 'rollback-inconclusive').toBe(expected);
          });
        },
      ),
    );
  });

  it('rolls back on a plain healthy/breach sequence exactly at the failureLimit-th breach in a row', () => {
    const plain = fc.array(fc.constantFrom<Verdict>('healthy', 'breach'), { maxLength: 40 });
    fc.assert(
      fc.property(plain, limit, (verdicts, failureLimit) => {
        const made = decisions(verdicts, { failureLimit, inconclusiveLimit: 1 });
        let streak = 0;

        verdicts.forEach((v, index) => {
          streak = v === 'breach' ? streak + 1 : 0;
          expect(made[index] === 'rollback-breach').toBe(streak >= failureLimit);
        });
      }),
    );
  });
});

const MEASUREMENTS: Readonly<Record<Verdict, readonly Measurement[]>> = {
  healthy: [{ metric: 'error-rate', value: 0.001, max: 0.01, verdict: 'healthy' }],
  breach: [{ metric: 'error-rate', value: 0.5, max: 0.01, verdict: 'breach', reason: '0.5 > max 0.01' }],
  inconclusive: [{ metric: 'error-rate', max: 0.01, verdict: 'inconclusive', reason: 'no data' }],
};

describe('the state machine, for any sequence of checks on a long canary step', () => {
  it('starts rolling back exactly at the check the analysis decides on, and never before', () => {
    fc.assert(
      fc.property(
        fc.array(verdict, { minLength: 1, maxLength: 30 }),
        limit,
        limit,
        (verdicts, failureLimit, inconclusiveLimit) => {
          const service = aServiceWithProduction({
            deploy: aCanaryDeploy([
              { weight: 10, pauseMs: 30 * MINUTE },
              { weight: 100, pauseMs: 0 },
            ]),
            monitor: aMonitor({ intervalMs: MINUTE, failureLimit, inconclusiveLimit }),
          });
          const expected = decisions(verdicts, { failureLimit, inconclusiveLimit });
          let flow: Flow = drive(inProduction(service, PREDECESSOR), succeeded(deployStep(2, 0)));

          for (const [index, v] of verdicts.entries()) {
            const transition = attempt(flow, checked(0, index + 1, MEASUREMENTS[v]));
            if (!transition.ok) throw new Error(transition.reason);
            const decision = expected[index];
            expect(transition.promotion.phase.kind).toBe(
              decision === 'continue' ? 'rolling_out' : 'rolling_back',
            );
            if (decision !== 'continue') return;
            flow = drive(flow, checked(0, index + 1, MEASUREMENTS[v]));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
