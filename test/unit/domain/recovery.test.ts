import { describe, expect, it } from 'vitest';
import { breachStepOf, describeBreachStep } from '../../../src/domain/breach-step.js';
import type { RollbackCause } from '../../../src/domain/promotion.js';
import { recoveryAdvice } from '../../../src/domain/recovery.js';
import {
  aBlueGreenDeploy,
  aCanaryDeploy,
  aMonitor,
  aService,
  aServiceWithProduction,
  MINUTE,
} from '../../support/pipeline-builder.js';
import {
  attempt,
  breaching,
  checked,
  checks,
  deployStep,
  drive,
  failed,
  inProduction,
  noData,
  promote,
  rollbackRequested,
  rollbackStep,
  succeeded,
  testStep,
} from './promotion-flow.js';

// After a rollback: at which rollout step it was decided, and what a person can do next.

/** A canary of 10%, 50% and 100%, each analysed for two one-minute checks; two bad checks roll it back. */
const canary = aServiceWithProduction({
  deploy: aCanaryDeploy([
    { weight: 10, pauseMs: 2 * MINUTE },
    { weight: 50, pauseMs: 2 * MINUTE },
    { weight: 100, pauseMs: 2 * MINUTE },
  ]),
  monitor: aMonitor({ intervalMs: MINUTE, failureLimit: 2, inconclusiveLimit: 2 }),
});

/** Rolled out through the steps before `step`, all healthy; `step` is deployed and being analysed. */
function atCanaryStep(step: number) {
  let flow = drive(inProduction(canary), succeeded(deployStep(2, 0)));
  for (let index = 0; index < step; index++) {
    flow = drive(flow, ...checks(index, 1, 2), succeeded(deployStep(2, index + 1)));
  }
  return flow;
}

describe('the rollout step a rollback was decided at', () => {
  it('is the step whose analysis breached: the 50% canary is step 2 of 3', () => {
    const flow = drive(atCanaryStep(1), checked(1, 1, breaching()), checked(1, 2, breaching()));
    const phase = flow.promotion.phase;
    if (phase.kind !== 'rolling_back') throw new Error(`expected rolling back, got ${phase.kind}`);

    const step = breachStepOf(flow.promotion, canary, phase.cause);

    expect(step).toEqual({ index: 1, count: 3, label: 'canary 50%' });
    expect(step && describeBreachStep(step, phase.cause)).toBe('breached at canary 50% (step 2 of 3)');
  });

  it('is the first step when the analysis went without data there', () => {
    const flow = drive(atCanaryStep(0), ...checks(0, 1, 2, noData()));
    const phase = flow.promotion.phase;
    if (phase.kind !== 'rolling_back') throw new Error(`expected rolling back, got ${phase.kind}`);

    const step = breachStepOf(flow.promotion, canary, phase.cause);

    expect(step && describeBreachStep(step, phase.cause)).toBe('no usable data at canary 10% (step 1 of 3)');
  });

  it('is the step whose deploy failed, and the first step for a failed production test', () => {
    const tested = aServiceWithProduction({ tests: ['smoke'] });
    const deploy = drive(
      inProduction(canary),
      succeeded(deployStep(2, 0)),
      ...checks(0, 1, 2),
      succeeded(deployStep(2, 1)),
      ...checks(1, 1, 2),
      failed(deployStep(2, 2)),
    );
    const test = drive(inProduction(tested), succeeded(deployStep(2, 0)), failed(testStep(2, 0)));
    const causes = [deploy, test].map((flow) =>
      flow.promotion.phase.kind === 'rolling_back' ? flow.promotion.phase.cause : undefined,
    );

    expect(causes[0] && breachStepOf(deploy.promotion, canary, causes[0])).toEqual({
      index: 2,
      count: 3,
      label: 'full rollout',
    });
    expect(causes[1] && breachStepOf(test.promotion, tested, causes[1])).toMatchObject({ index: 0 });
    expect(causes[0] && describeBreachStep({ index: 2, count: 3, label: 'full rollout' }, causes[0])).toBe(
      'failed at full rollout (step 3 of 3)',
    );
  });

  it('names the colour of a blue-green rollout', () => {
    const blueGreen = aServiceWithProduction({ deploy: aBlueGreenDeploy() });
    const flow = drive(inProduction(blueGreen), succeeded(deployStep(2, 0)), ...checks(0, 1, 2, breaching()));
    const phase = flow.promotion.phase;
    if (phase.kind !== 'rolling_back') throw new Error(`expected rolling back, got ${phase.kind}`);

    expect(breachStepOf(flow.promotion, blueGreen, phase.cause)).toEqual({
      index: 0,
      count: 2,
      label: 'deploy blue',
    });
  });

  it('is not known for a rollback by hand', () => {
    const manual: RollbackCause = { kind: 'manual', by: 'U0ALICE' };

    expect(breachStepOf(atCanaryStep(1).promotion, canary, manual)).toBeUndefined();
  });
});

describe('what to do after a rollback', () => {
  it('is to force the version back in or publish a fixed one: nothing holds production after a rollback', () => {
    expect(recoveryAdvice(aService(), '1.1.0')).toBe(
      'an approver can `/promote checkout 1.1.0 --force`, or publish a fixed version',
    );
  });

  it('is what /promote of the rolled-back version answers, instead of a dead end', () => {
    const service = aService();
    const automatic = drive(
      atCanaryStep(0),
      checked(0, 1, breaching()),
      checked(0, 2, breaching()),
      succeeded(rollbackStep(2)),
    );
    const manual = drive(atCanaryStep(0), rollbackRequested(), succeeded(rollbackStep(2)));

    expect(attempt(automatic, promote())).toEqual({
      ok: false,
      reason: `checkout 1.4.0 was rolled back: ${recoveryAdvice(service, '1.4.0')}`,
    });
    expect(attempt(manual, promote())).toEqual({
      ok: false,
      reason:
        'checkout 1.4.0 was rolled back: an approver can `/promote checkout 1.4.0 --force`, or publish a fixed version',
    });
  });
});
