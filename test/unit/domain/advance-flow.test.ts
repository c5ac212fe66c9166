import { describe, expect, it } from 'vitest';
import { advance } from '../../../src/domain/advance.js';
import { statusOf } from '../../../src/domain/promotion-view.js';
import { anEnvironment, aProduction, aService, HOUR, SECOND } from '../../support/pipeline-builder.js';
import {
  approve,
  atTheGate,
  checked,
  checks,
  deployStep,
  drive,
  effectsOfType,
  entered,
  failed,
  inProduction,
  noticesIn,
  PREDECESSOR,
  passing,
  publish,
  START,
  stepsRunIn,
  succeeded,
  testStep,
  typesOf,
} from './promotion-flow.js';

describe('publishing an artifact', () => {
  it('starts a running promotion that asks to enter development', () => {
    const flow = publish();

    expect(flow.promotion.phase).toEqual({ kind: 'entering', environment: 0 });
    expect(statusOf(flow.promotion.phase)).toBe('running');
    expect(flow.effects).toContainEqual({ type: 'enterEnvironment', environment: 0 });
  });

  it('asks the engine to supersede older promotions of the service and announces the artifact', () => {
    const flow = publish(aService(), { by: 'U0ALICE' });

    expect(typesOf(flow.effects)).toContain('supersedeOlder');
    expect(effectsOfType(flow.effects, 'notify')[0]?.notice).toEqual({ kind: 'published', by: 'U0ALICE' });
  });

  it('keeps the artifact, its author and the time it was published', () => {
    const flow = publish(aService(), { by: 'U0ALICE', id: 'p-42' });

    expect(flow.promotion.id).toBe('p-42');
    expect(flow.promotion.artifact.version).toBe('1.4.0');
    expect(flow.promotion.createdBy).toBe('U0ALICE');
    expect(flow.promotion.createdAt).toBe(START);
    expect(flow.promotion.updatedAt).toBe(START);
  });

  it('has one pending stage per environment, in order, and no approvals', () => {
    const flow = publish();

    expect(flow.promotion.stages.map((stage) => [stage.environment, stage.status])).toEqual([
      ['development', 'pending'],
      ['staging', 'pending'],
      ['production', 'pending'],
    ]);
    expect(flow.promotion.approvals).toEqual([]);
  });
});

describe('the development environment', () => {
  it('deploys the artifact once the environment is entered', () => {
    const flow = drive(publish(), entered(0));

    expect(flow.promotion.phase).toEqual({ kind: 'deploying', environment: 0 });
    expect(stepsRunIn(flow.effects)).toEqual([deployStep(0)]);
    expect(noticesIn(flow.effects)).toEqual(['stage_started']);
    expect(flow.promotion.stages[0]?.status).toBe('running');
    expect(flow.promotion.stages[0]?.startedAt).toBe(flow.now);
  });

  it('records the deployment and runs the smoke test after a successful deploy', () => {
    const flow = drive(publish(), entered(0), succeeded(deployStep(0)));

    expect(flow.promotion.phase).toEqual({ kind: 'testing', environment: 0, test: 0 });
    expect(flow.effects).toContainEqual({ type: 'recordDeployment', environment: 0 });
    expect(stepsRunIn(flow.effects)).toEqual([testStep(0, 0)]);
  });

  it('passes development and promotes to staging when the smoke test passes', () => {
    const flow = drive(publish(), ...passing(aService(), 0));

    expect(flow.promotion.phase).toEqual({ kind: 'entering', environment: 1 });
    expect(flow.promotion.stages[0]?.status).toBe('passed');
    expect(flow.effects).toContainEqual({ type: 'leaveEnvironment', environment: 0 });
    expect(flow.effects).toContainEqual({ type: 'enterEnvironment', environment: 1 });
    expect(noticesIn(flow.effects)).toContain('stage_passed');
  });

  it('frees development before asking for staging', () => {
    const flow = drive(publish(), ...passing(aService(), 0));

    const types = typesOf(flow.effects);
    expect(types.indexOf('leaveEnvironment')).toBeLessThan(types.indexOf('enterEnvironment'));
  });

  it('records each step with its outcome in the stage', () => {
    const flow = drive(publish(), ...passing(aService(), 0));

    expect(flow.promotion.stages[0]?.steps.map((step) => [step.name, step.status])).toEqual([
      ['deploy', 'passed'],
      ['smoke', 'passed'],
    ]);
  });

  it('fails at development and notifies the team when the smoke test fails', () => {
    const flow = drive(publish(), entered(0), succeeded(deployStep(0)), failed(testStep(0, 0)));

    expect(flow.promotion.phase).toEqual({
      kind: 'failed',
      environment: 0,
      step: 'smoke',
      rollbackFailed: false,
    });
    expect(statusOf(flow.promotion.phase)).toBe('failed');
    expect(flow.promotion.stages[0]?.status).toBe('failed');
    const notice = effectsOfType(flow.effects, 'notify').find(
      (effect) => effect.notice.kind === 'stage_failed',
    )?.notice;
    expect(notice).toMatchObject({ environment: 'development', step: 'smoke' });
    expect(notice?.result?.output).toEqual(['boom']);
  });

  it('never enters or deploys a later environment after a development failure', () => {
    const flow = drive(publish(), entered(0), succeeded(deployStep(0)), failed(testStep(0, 0)));

    expect(effectsOfType(flow.history, 'enterEnvironment').map((effect) => effect.environment)).toEqual([0]);
    expect(stepsRunIn(flow.history).every((step) => step.environment === 0)).toBe(true);
    expect(effectsOfType(flow.history, 'recordDeployment').every((effect) => effect.environment === 0)).toBe(
      true,
    );
    expect(flow.effects).toContainEqual({ type: 'leaveEnvironment', environment: 0 });
  });

  it('fails at development without testing when the deploy fails', () => {
    const flow = drive(publish(), entered(0), failed(deployStep(0)));

    expect(flow.promotion.phase).toEqual({
      kind: 'failed',
      environment: 0,
      step: 'deploy',
      rollbackFailed: false,
    });
    expect(effectsOfType(flow.history, 'recordDeployment')).toEqual([]);
    expect(stepsRunIn(flow.effects)).toEqual([]);
  });

  it('keeps the failing step output for the failure notice', () => {
    const flow = drive(
      publish(),
      entered(0),
      failed(deployStep(0), { durationMs: 10, exitCode: 2, error: 'exit 2', output: ['line 1', 'line 2'] }),
    );

    const record = flow.promotion.stages[0]?.steps.find((step) => step.name === 'deploy');
    expect(record).toMatchObject({
      status: 'failed',
      exitCode: 2,
      error: 'exit 2',
      output: ['line 1', 'line 2'],
    });
  });

  it('passes an environment without tests right after its deploy', () => {
    const service = aService({
      environments: [anEnvironment('development'), anEnvironment('staging'), aProduction()],
    });

    const flow = drive(publish(service), entered(0), succeeded(deployStep(0)));

    expect(flow.promotion.phase).toEqual({ kind: 'entering', environment: 1 });
    expect(flow.effects).toContainEqual({ type: 'recordDeployment', environment: 0 });
  });
});

describe('the staging environment', () => {
  it('deploys to staging once it is entered', () => {
    const flow = drive(publish(), ...passing(aService(), 0), entered(1));

    expect(flow.promotion.phase).toEqual({ kind: 'deploying', environment: 1 });
    expect(stepsRunIn(flow.effects)).toEqual([deployStep(1)]);
  });

  it('runs the acceptance test and then the load test', () => {
    const deployed = drive(publish(), ...passing(aService(), 0), entered(1), succeeded(deployStep(1)));
    const accepted = drive(deployed, succeeded(testStep(1, 0)));

    expect(stepsRunIn(deployed.effects)).toEqual([testStep(1, 0)]);
    expect(stepsRunIn(accepted.effects)).toEqual([testStep(1, 1)]);
    expect(accepted.promotion.phase).toEqual({ kind: 'testing', environment: 1, test: 1 });
  });

  it('requests production approval when the staging tests pass', () => {
    const flow = atTheGate();

    expect(flow.promotion.phase).toEqual({
      kind: 'awaiting_approval',
      requestedAt: flow.now,
      requestedBy: 'api',
      expiresAt: new Date(Date.parse(flow.now) + 24 * HOUR).toISOString(),
    });
    expect(statusOf(flow.promotion.phase)).toBe('awaiting_approval');
    expect(flow.effects).toContainEqual({ type: 'leaveEnvironment', environment: 1 });
    expect(flow.effects).toContainEqual({
      type: 'scheduleApprovalExpiry',
      requestedAt: flow.now,
      delayMs: 24 * HOUR,
    });
    expect(noticesIn(flow.effects)).toEqual(['step_finished', 'stage_passed', 'approval_requested']);
  });

  it('never enters production without an approval', () => {
    const flow = atTheGate();

    expect(effectsOfType(flow.history, 'enterEnvironment').map((effect) => effect.environment)).toEqual([
      0, 1,
    ]);
  });

  it('fails at staging and notifies the team when the load test fails', () => {
    const service = aService();
    const flow = drive(
      publish(service),
      ...passing(service, 0),
      entered(1),
      succeeded(deployStep(1)),
      succeeded(testStep(1, 0)),
      failed(testStep(1, 1)),
    );

    expect(flow.promotion.phase).toEqual({
      kind: 'failed',
      environment: 1,
      step: 'load',
      rollbackFailed: false,
    });
    expect(flow.effects).toContainEqual({ type: 'leaveEnvironment', environment: 1 });
    const notice = effectsOfType(flow.effects, 'notify').find(
      (effect) => effect.notice.kind === 'stage_failed',
    )?.notice;
    expect(notice).toMatchObject({ environment: 'staging', step: 'load' });
    expect(effectsOfType(flow.history, 'scheduleApprovalExpiry')).toEqual([]);
    expect(flow.promotion.stages[2]?.status).toBe('pending');
  });

  it('keeps the passed development stage when staging fails', () => {
    const service = aService();
    const flow = drive(publish(service), ...passing(service, 0), entered(1), failed(deployStep(1)));

    expect(flow.promotion.stages.map((stage) => stage.status)).toEqual(['passed', 'failed', 'pending']);
  });
});

describe('the production rollout', () => {
  it('enters production after the approval', () => {
    const flow = drive(atTheGate(), approve());

    expect(flow.promotion.phase).toEqual({ kind: 'entering', environment: 2 });
    expect(flow.effects).toContainEqual({ type: 'enterEnvironment', environment: 2 });
  });

  it('deploys the first canary step once production is entered', () => {
    const flow = inProduction(aService(), PREDECESSOR);

    expect(flow.promotion.phase).toEqual({ kind: 'rolling_out', step: 0, stage: { kind: 'deploying' } });
    expect(stepsRunIn(flow.effects)).toEqual([deployStep(2, 0)]);
    const rollout = effectsOfType(flow.effects, 'notify').find(
      (effect) => effect.notice.kind === 'rollout_step',
    );
    expect(rollout?.notice.step).toBe('canary 10%');
    expect(flow.promotion.stages[2]?.predecessor).toEqual(PREDECESSOR);
  });

  it('analyses the canary every interval for the length of its pause', () => {
    const flow = drive(inProduction(), succeeded(deployStep(2, 0)));

    expect(flow.promotion.phase).toEqual({
      kind: 'rolling_out',
      step: 0,
      stage: {
        kind: 'analysing',
        startedAt: expect.any(String),
        check: 0,
        checks: 10,
        breaches: 0,
        inconclusive: 0,
      },
    });
    expect(flow.effects).toContainEqual({
      type: 'scheduleAnalysis',
      analysis: { step: 0, check: 1 },
      delayMs: 30 * SECOND,
    });
  });

  it('does not record the production deployment while the canary is only partly rolled out', () => {
    const flow = drive(inProduction(), succeeded(deployStep(2, 0)));

    expect(effectsOfType(flow.history, 'recordDeployment').map((effect) => effect.environment)).toEqual([
      0, 1,
    ]);
  });

  it('schedules each next check at its due time, so a late check does not push the cadence back', () => {
    const deployed = drive(inProduction(), succeeded(deployStep(2, 0)));
    const at = (ms: number) => new Date(Date.parse(deployed.now) + ms).toISOString();

    const flow = drive(
      deployed,
      { ...checked(0, 1), at: at(32 * SECOND) },
      { ...checked(0, 2), at: at(65 * SECOND) },
      { ...checked(0, 3), at: at(94 * SECOND) },
    );

    expect(flow.promotion.phase).toMatchObject({ stage: { kind: 'analysing', check: 3, breaches: 0 } });
    expect(flow.effects).toEqual([
      { type: 'scheduleAnalysis', analysis: { step: 0, check: 4 }, delayMs: 26 * SECOND },
    ]);
  });

  it('runs a check that is already overdue at once', () => {
    const flow = drive(inProduction(), succeeded(deployStep(2, 0)), ...checks(0, 1, 3));

    expect(flow.effects).toEqual([{ type: 'scheduleAnalysis', analysis: { step: 0, check: 4 }, delayMs: 0 }]);
  });

  it('moves to the next canary weight after the last healthy check of a step', () => {
    const flow = drive(inProduction(), succeeded(deployStep(2, 0)), ...checks(0, 1, 10));

    expect(flow.promotion.phase).toEqual({ kind: 'rolling_out', step: 1, stage: { kind: 'deploying' } });
    expect(stepsRunIn(flow.effects)).toEqual([deployStep(2, 1)]);
    expect(effectsOfType(flow.effects, 'notify')[0]?.notice.step).toBe('canary 50%');
  });

  it('completes the full rollout and releases after the last canary step', () => {
    const flow = drive(
      inProduction(aService(), PREDECESSOR),
      succeeded(deployStep(2, 0)),
      ...checks(0, 1, 10),
      succeeded(deployStep(2, 1)),
      ...checks(1, 1, 20),
      succeeded(deployStep(2, 2)),
    );

    expect(flow.promotion.phase).toEqual({ kind: 'released', at: flow.now });
    expect(statusOf(flow.promotion.phase)).toBe('released');
    expect(flow.promotion.stages.map((stage) => stage.status)).toEqual(['passed', 'passed', 'passed']);
    expect(flow.effects).toContainEqual({ type: 'recordDeployment', environment: 2 });
    expect(flow.effects).toContainEqual({ type: 'leaveEnvironment', environment: 2 });
    expect(noticesIn(flow.effects)).toContain('released');
  });

  it('runs the production deploy steps in order: canary 10%, canary 50%, full rollout', () => {
    const flow = drive(
      inProduction(),
      succeeded(deployStep(2, 0)),
      ...checks(0, 1, 10),
      succeeded(deployStep(2, 1)),
      ...checks(1, 1, 20),
      succeeded(deployStep(2, 2)),
    );

    const production = stepsRunIn(flow.history).filter((step) => step.environment === 2);
    expect(production).toEqual([deployStep(2, 0), deployStep(2, 1), deployStep(2, 2)]);
    expect(flow.promotion.stages[2]?.steps.map((step) => step.name)).toEqual([
      'canary 10%',
      'canary 50%',
      'full rollout',
    ]);
  });

  it('stamps every accepted event on updatedAt', () => {
    const flow = drive(publish(), entered(0));

    expect(flow.promotion.updatedAt).toBe(flow.now);
    expect(flow.promotion.createdAt).toBe(START);
  });

  it('does not change the promotion it was given', () => {
    const flow = publish();
    const before = structuredClone(flow.promotion);

    advance(flow.promotion, { type: 'environmentEntered', environment: 0, at: START }, flow.service);

    expect(flow.promotion).toEqual(before);
  });
});
