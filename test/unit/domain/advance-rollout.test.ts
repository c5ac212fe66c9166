import { describe, expect, it } from 'vitest';
import {
  aBlueGreenDeploy,
  aCanaryDeploy,
  aDeploy,
  aMonitor,
  anEnvironment,
  aProduction,
  aService,
  aServiceWithProduction,
  MINUTE,
  SECOND,
} from '../../support/pipeline-builder.js';
import {
  approve,
  atTheGate,
  attempt,
  breaching,
  checked,
  checks,
  deployStep,
  drive,
  effectsOfType,
  entered,
  failed,
  healthy,
  inProduction,
  noData,
  noticesIn,
  PREDECESSOR,
  rollbackStep,
  stepsRunIn,
  succeeded,
  testStep,
} from './promotion-flow.js';

/** Canary 10% for 5m then everything; one check a minute: five checks on the canary. */
function aShortCanary(monitor: Parameters<typeof aMonitor>[0] = {}) {
  return aServiceWithProduction({
    deploy: aCanaryDeploy([
      { weight: 10, pauseMs: 5 * MINUTE },
      { weight: 100, pauseMs: 0 },
    ]),
    monitor: aMonitor({ intervalMs: MINUTE, ...monitor }),
  });
}

function analysing(service = aShortCanary()) {
  return drive(inProduction(service, PREDECESSOR), succeeded(deployStep(2, 0)));
}

describe('canary analysis', () => {
  it('rolls back when the error rate breaches its threshold failureLimit checks in a row', () => {
    const flow = drive(analysing(), checked(0, 1, breaching()), checked(0, 2, breaching(0.07)));

    expect(flow.promotion.phase).toEqual({
      kind: 'rolling_back',
      released: false,
      cause: { kind: 'metric-breach', measurements: breaching(0.07), checks: 2 },
    });
    expect(stepsRunIn(flow.effects)).toEqual([rollbackStep(2)]);
    const started = effectsOfType(flow.effects, 'notify').find(
      (effect) => effect.notice.kind === 'rollback_started',
    );
    expect(started?.notice).toMatchObject({
      environment: 'production',
      cause: { kind: 'metric-breach', checks: 2 },
    });
  });

  it('does not roll back on a single breach below the failure limit', () => {
    const flow = drive(analysing(), checked(0, 1, breaching()));

    expect(flow.promotion.phase).toMatchObject({
      kind: 'rolling_out',
      stage: { kind: 'analysing', check: 1, breaches: 1, inconclusive: 0, last: breaching() },
    });
    expect(flow.effects).toEqual([
      { type: 'scheduleAnalysis', analysis: { step: 0, check: 2 }, delayMs: MINUTE },
    ]);
  });

  it('starts counting again after a healthy check', () => {
    const flow = drive(
      analysing(),
      checked(0, 1, breaching()),
      checked(0, 2, healthy()),
      checked(0, 3, breaching()),
    );

    expect(flow.promotion.phase).toMatchObject({ kind: 'rolling_out', stage: { breaches: 1, check: 3 } });
  });

  it('rolls back on the first breach when failureLimit is 1', () => {
    const flow = drive(analysing(aShortCanary({ failureLimit: 1 })), checked(0, 1, breaching()));

    expect(flow.promotion.phase.kind).toBe('rolling_back');
  });

  it('judges a check by its worst metric', () => {
    const mixed = [...healthy(0.001), ...breaching(0.9, 'latency-p99')];

    const flow = drive(analysing(aShortCanary({ failureLimit: 1 })), checked(0, 1, mixed));

    expect(flow.promotion.phase).toMatchObject({
      kind: 'rolling_back',
      cause: { kind: 'metric-breach', measurements: mixed },
    });
  });

  it('rolls back when the metrics stay inconclusive inconclusiveLimit checks in a row', () => {
    const flow = drive(analysing(), checked(0, 1, noData()), checked(0, 2, noData()));

    expect(flow.promotion.phase).toEqual({
      kind: 'rolling_back',
      released: false,
      cause: { kind: 'inconclusive', measurements: noData(), checks: 2 },
    });
  });

  it('tolerates inconclusive checks below the inconclusive limit', () => {
    const service = aShortCanary({ failureLimit: 2, inconclusiveLimit: 3 });

    const flow = drive(analysing(service), checked(0, 1, noData()), checked(0, 2, noData()));

    expect(flow.promotion.phase).toMatchObject({
      kind: 'rolling_out',
      stage: { inconclusive: 2, breaches: 0 },
    });
    expect(drive(flow, checked(0, 3, noData())).promotion.phase).toMatchObject({
      cause: { kind: 'inconclusive', checks: 3 },
    });
  });

  it('does not let missing data interrupt a run of breaches', () => {
    const flow = drive(
      analysing(),
      checked(0, 1, breaching()),
      checked(0, 2, noData()),
      checked(0, 3, breaching()),
    );

    expect(flow.promotion.phase).toMatchObject({
      kind: 'rolling_back',
      cause: { kind: 'metric-breach', checks: 2 },
    });
  });

  it('counts inconclusive checks afresh after a breach', () => {
    const service = aShortCanary({ failureLimit: 3, inconclusiveLimit: 2 });

    const flow = drive(
      analysing(service),
      checked(0, 1, noData()),
      checked(0, 2, breaching()),
      checked(0, 3, noData()),
    );

    expect(flow.promotion.phase).toMatchObject({
      kind: 'rolling_out',
      stage: { breaches: 1, inconclusive: 1 },
    });
  });

  it('reports the inconclusive run, not the earlier breaches, as the checks in a row', () => {
    const service = aShortCanary({ failureLimit: 5, inconclusiveLimit: 2 });

    const flow = drive(
      analysing(service),
      ...checks(0, 1, 3, breaching()),
      checked(0, 4, noData()),
      checked(0, 5, noData()),
    );

    expect(flow.promotion.phase).toMatchObject({
      kind: 'rolling_back',
      cause: { kind: 'inconclusive', checks: 2 },
    });
  });

  it('moves on after the last check of a step even when it breached below the limit', () => {
    const flow = drive(analysing(), ...checks(0, 1, 4), checked(0, 5, breaching()));

    expect(flow.promotion.phase).toEqual({
      kind: 'rolling_out',
      step: 1,
      stage: { kind: 'deploying' },
      carried: { breaches: 1, inconclusive: 0 },
    });
  });

  it('waits the initial delay before the first check', () => {
    const service = aShortCanary({ initialDelayMs: MINUTE });

    const flow = analysing(service);

    expect(flow.promotion.phase).toMatchObject({ stage: { kind: 'analysing', checks: 4 } });
    expect(flow.effects).toContainEqual({
      type: 'scheduleAnalysis',
      analysis: { step: 0, check: 1 },
      delayMs: 2 * MINUTE,
    });
  });

  it('treats a paused step without a monitor as one plain wait', () => {
    const service = aServiceWithProduction({
      deploy: aCanaryDeploy([
        { weight: 25, pauseMs: 5 * MINUTE },
        { weight: 100, pauseMs: 0 },
      ]),
      monitor: undefined,
    });

    const waiting = drive(inProduction(service, PREDECESSOR), succeeded(deployStep(2, 0)));
    const next = drive(waiting, checked(0, 1, []));

    expect(waiting.promotion.phase).toMatchObject({ stage: { kind: 'analysing', checks: 1 } });
    expect(waiting.effects).toContainEqual({
      type: 'scheduleAnalysis',
      analysis: { step: 0, check: 1 },
      delayMs: 5 * MINUTE,
    });
    expect(next.promotion.phase).toEqual({ kind: 'rolling_out', step: 1, stage: { kind: 'deploying' } });
  });

  it('moves straight on from a canary step without a pause', () => {
    const service = aServiceWithProduction({
      deploy: aCanaryDeploy([
        { weight: 10, pauseMs: 0 },
        { weight: 100, pauseMs: 0 },
      ]),
    });

    const flow = drive(inProduction(service), succeeded(deployStep(2, 0)));

    expect(flow.promotion.phase).toEqual({ kind: 'rolling_out', step: 1, stage: { kind: 'deploying' } });
    expect(effectsOfType(flow.effects, 'scheduleAnalysis')).toEqual([]);
  });

  it('carries a run of breaches into the next canary step, so a canary that breaches on every step rolls back', () => {
    const service = aServiceWithProduction({
      deploy: aCanaryDeploy([
        { weight: 10, pauseMs: 2 * MINUTE },
        { weight: 50, pauseMs: 2 * MINUTE },
        { weight: 100, pauseMs: 0 },
      ]),
      monitor: aMonitor({ intervalMs: MINUTE, failureLimit: 3 }),
    });

    const flow = drive(
      inProduction(service),
      succeeded(deployStep(2, 0)),
      checked(0, 1, breaching()),
      checked(0, 2, breaching()),
      succeeded(deployStep(2, 1)),
    );

    expect(flow.promotion.phase).toEqual({
      kind: 'rolling_out',
      step: 1,
      stage: {
        kind: 'analysing',
        startedAt: expect.any(String),
        check: 0,
        checks: 2,
        breaches: 2,
        inconclusive: 0,
      },
    });
    const next = drive(flow, checked(1, 1, breaching()));
    expect(next.promotion.phase).toMatchObject({
      kind: 'rolling_back',
      cause: { kind: 'metric-breach', checks: 3 },
    });
  });

  it('starts the next canary step with clean counts after a healthy check', () => {
    const service = aServiceWithProduction({
      deploy: aCanaryDeploy([
        { weight: 10, pauseMs: 2 * MINUTE },
        { weight: 50, pauseMs: 2 * MINUTE },
        { weight: 100, pauseMs: 0 },
      ]),
      monitor: aMonitor({ intervalMs: MINUTE, failureLimit: 3 }),
    });

    const flow = drive(
      inProduction(service),
      succeeded(deployStep(2, 0)),
      checked(0, 1, breaching()),
      checked(0, 2, healthy()),
      succeeded(deployStep(2, 1)),
    );

    expect(flow.promotion.phase).toEqual({
      kind: 'rolling_out',
      step: 1,
      stage: {
        kind: 'analysing',
        startedAt: expect.any(String),
        check: 0,
        checks: 2,
        breaches: 0,
        inconclusive: 0,
      },
    });
  });

  it('rolls back when a canary deploy fails', () => {
    const flow = drive(inProduction(aService(), PREDECESSOR), failed(deployStep(2, 0)));

    expect(flow.promotion.phase).toEqual({
      kind: 'rolling_back',
      released: false,
      cause: { kind: 'step-failed', step: 'canary 10%' },
    });
    expect(noticesIn(flow.effects)).toEqual(['step_finished', 'rollback_started']);
  });
});

describe('production tests', () => {
  const withTests = aServiceWithProduction({ tests: ['smoke-prod', 'synthetic'] });

  it('run after the first rollout step deploys, before any analysis', () => {
    const flow = drive(inProduction(withTests, PREDECESSOR), succeeded(deployStep(2, 0)));

    expect(flow.promotion.phase).toEqual({
      kind: 'rolling_out',
      step: 0,
      stage: { kind: 'testing', test: 0 },
    });
    expect(stepsRunIn(flow.effects)).toEqual([testStep(2, 0)]);
    expect(effectsOfType(flow.effects, 'scheduleAnalysis')).toEqual([]);
  });

  it('run one after another and then hand over to the analysis', () => {
    const second = drive(inProduction(withTests), succeeded(deployStep(2, 0)), succeeded(testStep(2, 0)));
    const analysed = drive(second, succeeded(testStep(2, 1)));

    expect(stepsRunIn(second.effects)).toEqual([testStep(2, 1)]);
    expect(analysed.promotion.phase).toMatchObject({ step: 0, stage: { kind: 'analysing', check: 0 } });
    expect(analysed.effects).toContainEqual({
      type: 'scheduleAnalysis',
      analysis: { step: 0, check: 1 },
      delayMs: 30 * SECOND,
    });
  });

  it('do not run again for later rollout steps', () => {
    const flow = drive(
      inProduction(withTests),
      succeeded(deployStep(2, 0)),
      succeeded(testStep(2, 0)),
      succeeded(testStep(2, 1)),
      ...checks(0, 1, 10),
      succeeded(deployStep(2, 1)),
    );

    expect(flow.promotion.phase).toMatchObject({ step: 1, stage: { kind: 'analysing' } });
    expect(stepsRunIn(flow.effects)).toEqual([]);
  });

  it('roll back the canary when one fails', () => {
    const flow = drive(
      inProduction(withTests, PREDECESSOR),
      succeeded(deployStep(2, 0)),
      failed(testStep(2, 0)),
    );

    expect(flow.promotion.phase).toMatchObject({
      kind: 'rolling_back',
      cause: { kind: 'step-failed', step: 'smoke-prod' },
    });
  });
});

describe('blue-green rollout', () => {
  const blueGreen = aServiceWithProduction({
    deploy: aBlueGreenDeploy(),
    monitor: aMonitor({ intervalMs: MINUTE, durationMs: 2 * MINUTE }),
  });

  it('deploys the idle colour, opposite to the one the predecessor runs', () => {
    const flow = inProduction(blueGreen, { ...PREDECESSOR, color: 'blue' });

    expect(flow.promotion.stages[2]?.color).toBe('green');
    expect(
      effectsOfType(flow.effects, 'notify').find((effect) => effect.notice.kind === 'rollout_step')?.notice
        .step,
    ).toBe('deploy green');
    expect(stepsRunIn(flow.effects)).toEqual([deployStep(2, 0)]);
  });

  it('deploys blue when the predecessor runs green', () => {
    expect(inProduction(blueGreen, { ...PREDECESSOR, color: 'green' }).promotion.stages[2]?.color).toBe(
      'blue',
    );
  });

  it('deploys blue when nothing ran in production before', () => {
    expect(inProduction(blueGreen).promotion.stages[2]?.color).toBe('blue');
  });

  it('analyses the idle colour before switching traffic to it', () => {
    const analysing = drive(
      inProduction(blueGreen, { ...PREDECESSOR, color: 'blue' }),
      succeeded(deployStep(2, 0)),
    );
    const switching = drive(analysing, ...checks(0, 1, 2));

    expect(analysing.promotion.phase).toMatchObject({ step: 0, stage: { kind: 'analysing', checks: 2 } });
    expect(switching.promotion.phase).toEqual({ kind: 'rolling_out', step: 1, stage: { kind: 'deploying' } });
    expect(stepsRunIn(switching.effects)).toEqual([deployStep(2, 1)]);
    expect(effectsOfType(switching.effects, 'notify')[0]?.notice.step).toBe('switch to green');
  });

  it('releases once the switch succeeds', () => {
    const flow = drive(
      inProduction(blueGreen, { ...PREDECESSOR, color: 'blue' }),
      succeeded(deployStep(2, 0)),
      ...checks(0, 1, 2),
      succeeded(deployStep(2, 1)),
    );

    expect(flow.promotion.phase.kind).toBe('released');
    expect(flow.promotion.stages[2]?.steps.map((step) => step.name)).toEqual([
      'deploy green',
      'switch to green',
    ]);
  });

  it('never switches when the idle colour breaches', () => {
    const flow = drive(
      inProduction(blueGreen, { ...PREDECESSOR, color: 'blue' }),
      succeeded(deployStep(2, 0)),
      ...checks(0, 1, 2, breaching()),
    );

    expect(flow.promotion.phase.kind).toBe('rolling_back');
    expect(stepsRunIn(flow.history)).not.toContainEqual(deployStep(2, 1));
  });

  it('switches straight after the deploy when there is no monitor', () => {
    const unmonitored = aServiceWithProduction({ deploy: aBlueGreenDeploy(), monitor: undefined });

    const flow = drive(inProduction(unmonitored, PREDECESSOR), succeeded(deployStep(2, 0)));

    expect(flow.promotion.phase).toEqual({ kind: 'rolling_out', step: 1, stage: { kind: 'deploying' } });
  });

  it('keeps no colour for a canary rollout', () => {
    expect(
      inProduction(aService(), { ...PREDECESSOR, color: 'blue' }).promotion.stages[2]?.color,
    ).toBeUndefined();
  });
});

describe('all-at-once rollout', () => {
  it('analyses the single deploy for the monitor duration, then releases', () => {
    const service = aServiceWithProduction({
      deploy: aDeploy(),
      monitor: aMonitor({ intervalMs: MINUTE, durationMs: 3 * MINUTE }),
    });

    const analysing = drive(inProduction(service), succeeded(deployStep(2, 0)));
    const released = drive(analysing, ...checks(0, 1, 3));

    expect(analysing.promotion.phase).toMatchObject({ stage: { kind: 'analysing', checks: 3 } });
    expect(released.promotion.phase.kind).toBe('released');
  });

  it('releases right after the deploy without a monitor', () => {
    const service = aService({
      environments: [anEnvironment('development'), aProduction({ deploy: aDeploy(), monitor: undefined })],
    });

    const flow = drive(inProduction(service), succeeded(deployStep(1, 0)));

    expect(flow.promotion.phase.kind).toBe('released');
    expect(flow.effects).toContainEqual({ type: 'recordDeployment', environment: 1 });
  });
});

describe('a rollout step that is started again', () => {
  it('records the start of a step without changing the phase', () => {
    const flow = inProduction();

    const next = drive(flow, { type: 'stepStarted', step: deployStep(2, 0) });

    expect(next.promotion.phase).toEqual(flow.promotion.phase);
    expect(next.effects).toEqual([]);
    expect(next.promotion.stages[2]?.steps).toEqual([
      { name: 'canary 10%', status: 'running', startedAt: next.now },
    ]);
  });

  it('keeps one running record when a step is restarted after a crash', () => {
    const flow = drive(
      inProduction(),
      { type: 'stepStarted', step: deployStep(2, 0) },
      { type: 'stepStarted', step: deployStep(2, 0) },
    );

    expect(flow.promotion.stages[2]?.steps).toHaveLength(1);
  });

  it('keeps the start time of the step in its finished record', () => {
    const start = drive(inProduction(), { type: 'stepStarted', step: deployStep(2, 0) });

    const flow = drive(start, succeeded(deployStep(2, 0), { durationMs: 4000, exitCode: 0, output: ['ok'] }));

    expect(flow.promotion.stages[2]?.steps).toEqual([
      {
        name: 'canary 10%',
        status: 'passed',
        startedAt: start.now,
        finishedAt: flow.now,
        durationMs: 4000,
        exitCode: 0,
      },
    ]);
  });

  it('refuses a start for a step that is not due', () => {
    expect(attempt(inProduction(), { type: 'stepStarted', step: deployStep(2, 1) }).ok).toBe(false);
  });
});

describe('entering production', () => {
  it('names the production stage as started and keeps what ran before', () => {
    const flow = inProduction(aService(), PREDECESSOR);

    expect(noticesIn(flow.effects)).toEqual(['stage_started', 'rollout_step']);
    expect(flow.promotion.stages[2]).toMatchObject({ status: 'running', predecessor: PREDECESSOR });
  });

  it('refuses to enter an environment other than the one asked for', () => {
    const approved = drive(atTheGate(), approve());

    expect(attempt(approved, entered(1)).ok).toBe(false);
    expect(attempt(approved, entered(2)).ok).toBe(true);
  });
});

describe('analysis samples', () => {
  it('keeps every check’s values across rollout steps for the rollback chart, no data as null', () => {
    const service = aServiceWithProduction({
      deploy: aCanaryDeploy([
        { weight: 10, pauseMs: 2 * MINUTE },
        { weight: 50, pauseMs: 2 * MINUTE },
        { weight: 100, pauseMs: 0 },
      ]),
      monitor: aMonitor({ intervalMs: MINUTE, failureLimit: 3, inconclusiveLimit: 3 }),
    });

    const flow = drive(
      inProduction(service),
      succeeded(deployStep(2, 0)),
      checked(0, 1, healthy()),
      checked(0, 2, breaching()),
      succeeded(deployStep(2, 1)),
      checked(1, 1, [{ metric: 'error-rate', max: 0.01, verdict: 'inconclusive', reason: 'no data' }]),
    );

    const samples = flow.promotion.stages[2]?.samples ?? [];
    expect(samples.map((sample) => sample.step)).toEqual([0, 0, 1]);
    expect(samples.map((sample) => sample.values['error-rate'])).toEqual([
      healthy()[0]?.value,
      breaching()[0]?.value,
      null,
    ]);
    expect(samples[2]?.at).toBe(flow.now);
  });
});
