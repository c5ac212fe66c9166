import { describe, expect, it } from 'vitest';
import { statusOf } from '../../../src/domain/promotion-view.js';
import { aDeploy, aMonitor, aServiceWithProduction, MINUTE } from '../../support/pipeline-builder.js';
import {
  attempt,
  breaching,
  checked,
  checks,
  deployStep,
  drive,
  effectsOfType,
  failed,
  inProduction,
  noticesIn,
  PREDECESSOR,
  rollbackRequested,
  rollbackStep,
  stepsRunIn,
  succeeded,
  typesOf,
} from './promotion-flow.js';

/** All at once, analysed for two one-minute checks, then released. */
const quick = aServiceWithProduction({
  deploy: aDeploy(),
  monitor: aMonitor({ intervalMs: MINUTE, durationMs: 2 * MINUTE }),
});

function analysing(service = quick, predecessor = PREDECESSOR) {
  return drive(inProduction(service, predecessor), succeeded(deployStep(2, 0)));
}

function breached(service = quick, predecessor = PREDECESSOR) {
  return drive(analysing(service, predecessor), checked(0, 1, breaching()), checked(0, 2, breaching()));
}

function released(service = quick) {
  return drive(analysing(service), ...checks(0, 1, 2));
}

describe('an automatic rollback', () => {
  it('marks the promotion rolling back while the rollback step runs', () => {
    const flow = breached();

    expect(statusOf(flow.promotion.phase)).toBe('rolling_back');
    expect(stepsRunIn(flow.effects)).toEqual([rollbackStep(2)]);
  });

  it('ends rolled back and quarantines the bad version when the rollback step succeeds', () => {
    const flow = drive(breached(), succeeded(rollbackStep(2)));

    expect(flow.promotion.phase).toEqual({
      kind: 'rolled_back',
      cause: { kind: 'metric-breach', measurements: breaching(), checks: 2 },
    });
    expect(statusOf(flow.promotion.phase)).toBe('rolled_back');
    expect(flow.promotion.stages[2]?.status).toBe('rolled_back');
    expect(effectsOfType(flow.effects, 'quarantine')).toEqual([
      { type: 'quarantine', environment: 2, reason: 'automatic rollback of 1.4.0' },
    ]);
  });

  it('frees production and says which version was rolled back and why', () => {
    const flow = drive(breached(), succeeded(rollbackStep(2)));

    expect(flow.effects).toContainEqual({ type: 'leaveEnvironment', environment: 2 });
    const notice = effectsOfType(flow.effects, 'notify').find(
      (effect) => effect.notice.kind === 'rolled_back',
    )?.notice;
    expect(notice).toMatchObject({ environment: 'production', cause: { kind: 'metric-breach', checks: 2 } });
  });

  it('does not revert a deployment that was never recorded', () => {
    const flow = drive(breached(), succeeded(rollbackStep(2)));

    expect(typesOf(flow.history)).not.toContain('revertDeployment');
    expect(effectsOfType(flow.history, 'recordDeployment').map((effect) => effect.environment)).toEqual([
      0, 1,
    ]);
  });

  it('quarantines after a rollback caused by a failed step', () => {
    const flow = drive(
      inProduction(quick, PREDECESSOR),
      failed(deployStep(2, 0)),
      succeeded(rollbackStep(2)),
    );

    expect(flow.promotion.phase).toMatchObject({
      kind: 'rolled_back',
      cause: { kind: 'step-failed', step: 'deploy' },
    });
    expect(typesOf(flow.effects)).toContain('quarantine');
  });

  it('fails loudly with rollbackFailed when the rollback step fails', () => {
    const flow = drive(breached(), failed(rollbackStep(2)));

    expect(flow.promotion.phase).toEqual({
      kind: 'failed',
      environment: 2,
      step: 'rollback',
      rollbackFailed: true,
    });
    expect(statusOf(flow.promotion.phase)).toBe('failed');
    expect(flow.promotion.stages[2]?.status).toBe('failed');
    expect(noticesIn(flow.effects)).toContain('rollback_failed');
    expect(flow.effects).toContainEqual({ type: 'leaveEnvironment', environment: 2 });
    expect(typesOf(flow.effects)).not.toContain('quarantine');
  });

  it('fails loudly when there is no rollback step and nothing ran before', () => {
    const service = aServiceWithProduction({
      deploy: aDeploy(),
      rollback: undefined,
      monitor: aMonitor({ intervalMs: MINUTE, durationMs: 2 * MINUTE }),
    });

    const flow = drive(inProduction(service), succeeded(deployStep(2, 0)), ...checks(0, 1, 2, breaching()));

    expect(flow.promotion.phase).toEqual({
      kind: 'failed',
      environment: 2,
      step: 'rollback',
      rollbackFailed: true,
    });
    expect(stepsRunIn(flow.effects)).toEqual([]);
    const notice = effectsOfType(flow.effects, 'notify').find(
      (effect) => effect.notice.kind === 'rollback_failed',
    )?.notice;
    expect(notice?.reason).toContain('no rollback step');
    expect(notice?.cause).toMatchObject({ kind: 'metric-breach' });
    expect(flow.effects).toContainEqual({ type: 'leaveEnvironment', environment: 2 });
  });

  it('redeploys the predecessor when there is no rollback step but something ran before', () => {
    const service = aServiceWithProduction({
      deploy: aDeploy(),
      rollback: undefined,
      monitor: aMonitor({ intervalMs: MINUTE, durationMs: 2 * MINUTE }),
    });

    const flow = breached(service, PREDECESSOR);

    expect(flow.promotion.phase.kind).toBe('rolling_back');
    expect(stepsRunIn(flow.effects)).toEqual([rollbackStep(2)]);
  });
});

describe('a manual rollback', () => {
  it('rolls back a rollout in progress on request', () => {
    const flow = drive(analysing(), rollbackRequested('U0ALICE', 'customer reports'));

    expect(flow.promotion.phase).toEqual({
      kind: 'rolling_back',
      released: false,
      cause: { kind: 'manual', by: 'U0ALICE', reason: 'customer reports' },
    });
    expect(stepsRunIn(flow.effects)).toEqual([rollbackStep(2)]);
  });

  it('rolls back while a rollout step is still deploying', () => {
    const flow = drive(inProduction(quick, PREDECESSOR), rollbackRequested());

    expect(flow.promotion.phase).toMatchObject({ kind: 'rolling_back', released: false });
  });

  it('ignores the deploy that was in flight when the rollback started', () => {
    const flow = drive(inProduction(quick, PREDECESSOR), rollbackRequested());

    expect(attempt(flow, succeeded(deployStep(2, 0))).ok).toBe(false);
  });

  it('does not quarantine the version after a manual rollback', () => {
    const flow = drive(analysing(), rollbackRequested(), succeeded(rollbackStep(2)));

    expect(flow.promotion.phase).toMatchObject({
      kind: 'rolled_back',
      cause: { kind: 'manual', by: 'U0ALICE' },
    });
    expect(typesOf(flow.effects)).not.toContain('quarantine');
    expect(typesOf(flow.effects)).not.toContain('revertDeployment');
    expect(flow.effects).toContainEqual({ type: 'leaveEnvironment', environment: 2 });
  });

  it('rolls back a released promotion and reverts its recorded deployment', () => {
    const flow = drive(released(), rollbackRequested('U0ALICE'), succeeded(rollbackStep(2)));

    expect(flow.promotion.phase).toMatchObject({ kind: 'rolled_back', cause: { kind: 'manual' } });
    expect(flow.effects).toContainEqual({ type: 'revertDeployment', environment: 2 });
    expect(typesOf(flow.effects)).not.toContain('quarantine');
  });

  it('does not free production after rolling back a release, which no longer holds it', () => {
    const rollingBack = drive(released(), rollbackRequested());
    const flow = drive(rollingBack, succeeded(rollbackStep(2)));

    expect(rollingBack.promotion.phase).toMatchObject({ kind: 'rolling_back', released: true });
    expect(effectsOfType(flow.effects, 'leaveEnvironment')).toEqual([]);
  });

  it('fails without freeing production when the rollback of a release fails', () => {
    const flow = drive(released(), rollbackRequested(), failed(rollbackStep(2)));

    expect(flow.promotion.phase).toMatchObject({ kind: 'failed', rollbackFailed: true });
    expect(effectsOfType(flow.effects, 'leaveEnvironment')).toEqual([]);
    expect(typesOf(flow.effects)).not.toContain('revertDeployment');
  });

  it('fails loudly when a release without a rollback step or predecessor is rolled back', () => {
    const service = aServiceWithProduction({ deploy: aDeploy(), rollback: undefined, monitor: undefined });
    const done = drive(inProduction(service), succeeded(deployStep(2, 0)));

    const flow = drive(done, rollbackRequested());

    expect(done.promotion.phase.kind).toBe('released');
    expect(flow.promotion.phase).toMatchObject({ kind: 'failed', rollbackFailed: true });
    expect(effectsOfType(flow.effects, 'leaveEnvironment')).toEqual([]);
  });

  it('refuses a rollback before production', () => {
    const transition = attempt(drive(inProduction(quick), rollbackRequested()), rollbackRequested());

    expect(transition.ok ? '' : transition.reason).toContain('not in production');
  });

  it('refuses to roll back a promotion that is already rolled back', () => {
    const flow = drive(breached(), succeeded(rollbackStep(2)));

    expect(attempt(flow, rollbackRequested()).ok).toBe(false);
  });

  it('refuses a second rollback report', () => {
    const flow = drive(breached(), succeeded(rollbackStep(2)));

    expect(attempt(flow, succeeded(rollbackStep(2))).ok).toBe(false);
    expect(attempt(flow, failed(rollbackStep(2))).ok).toBe(false);
  });
});
