import { describe, expect, it } from 'vitest';
import type { Notice } from '../../../src/domain/events.js';
import type { RollbackCause } from '../../../src/domain/promotion.js';
import { renderRollbackNotice } from '../../../src/slack/blocks/render-rollback-notice.js';
import { aService } from '../../support/pipeline-builder.js';
import { expectInert, expectValidMessage, textOf } from './block-kit.js';
import { aFailedStep, aPromotion, aStage, aStep, HOSTILE, pastStaging } from './promotions.js';

const service = aService();
const breach: RollbackCause = {
  kind: 'metric-breach',
  checks: 2,
  measurements: [
    { metric: 'error-rate', value: 0.2, max: 0.01, verdict: 'breach' },
    { metric: 'latency-p99', value: 0.12, max: 0.4, verdict: 'healthy' },
  ],
};
const production = aStage('production', 'running', [aStep('canary 10%')]);
const rollingBack = aPromotion({
  phase: { kind: 'rolling_back', cause: breach, released: false },
  stages: pastStaging({
    ...production,
    predecessor: { version: '1.4.1', digest: `sha256:${'e'.repeat(64)}` },
  }),
});

describe('renderRollbackNotice', () => {
  it('when it starts: says which metric breached, its value against its threshold and how many checks in a row', () => {
    const notice: Notice = { kind: 'rollback_started', environment: 'production', cause: breach };
    const message = renderRollbackNotice(rollingBack, service, notice, { runningNow: '1.4.2 (canary 10%)' });
    expectValidMessage(message);
    const text = textOf(message.blocks);
    expect(text).toContain(':rewind: *Rolling back checkout 1.4.2 in production.*');
    expect(text).toContain('for 2 checks in a row');
    expect(text).toContain('*error-rate* 0.2 > max 0.01');
    expect(text).not.toContain('latency-p99');
    expect(text).toContain('*Running in production now:* 1.4.2 (canary 10%)');
  });

  it('when it succeeds: says which version runs now and that production is quarantined', () => {
    const rolledBack = aPromotion({
      phase: { kind: 'rolled_back', cause: breach },
      stages: rollingBack.stages,
    });
    const message = renderRollbackNotice(rolledBack, service, {
      kind: 'rolled_back',
      environment: 'production',
      cause: breach,
    });
    expectValidMessage(message);
    const text = textOf(message.blocks);
    expect(text).toContain('*Rolled back checkout 1.4.2 in production.*');
    expect(text).toContain('*Running in production now:* 1.4.1 `sha256:eeeeeeeeeeee`');
    expect(text).toContain('`/unhold checkout production`');
    expect(message.text).toBe('Rolled back checkout 1.4.2 in production');
  });

  it('when it FAILS: is unmistakable, pings the channel and says a person must act', () => {
    const failed = aPromotion({
      phase: { kind: 'failed', environment: 2, step: 'rollback', rollbackFailed: true },
      stages: pastStaging(aStage('production', 'failed')),
    });
    const notice: Notice = {
      kind: 'rollback_failed',
      environment: 'production',
      cause: breach,
      result: { durationMs: 3000, exitCode: 137, output: ['kubectl: connection refused'] },
    };
    const message = renderRollbackNotice(failed, service, notice);
    expectValidMessage(message);
    const text = textOf(message.blocks);
    expect(message.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: ':rotating_light: ROLLBACK FAILED: checkout 1.4.2 in production' },
    });
    expect(message.text).toMatch(/^<!here> :rotating_light: ROLLBACK FAILED/);
    expect(text).toContain('a person must act now');
    expect(text).toContain('*Rollback step:* exit code 137');
    expect(text).toContain('kubectl: connection refused');
    expect(text).toContain('*error-rate* 0.2 > max 0.01');
    expect(text).toContain('*Running in production now:* *unknown*: check it by hand');
  });

  it('when it fails with nothing to run: gives the reason', () => {
    const notice: Notice = {
      kind: 'rollback_failed',
      environment: 'production',
      cause: breach,
      reason: 'no rollback step is configured',
    };
    const text = textOf(renderRollbackNotice(rollingBack, service, notice, { runningNow: '1.4.2' }).blocks);
    expect(text).toContain('*Rollback problem:* no rollback step is configured');
    expect(text).toContain('*Running in production now:* 1.4.2');
  });

  it('explains a rollback caused by a failed rollout step with its exit code and output', () => {
    const cause: RollbackCause = { kind: 'step-failed', step: 'canary 50%' };
    const promotion = aPromotion({
      phase: { kind: 'rolling_back', cause, released: false },
      stages: pastStaging(
        aStage('production', 'running', [aStep('canary 10%'), aFailedStep('canary 50%', { exitCode: 4 })]),
      ),
    });
    const text = textOf(renderRollbackNotice(promotion, service, { kind: 'rollback_started', cause }).blocks);
    expect(text).toContain('Step `canary 50%` failed during the rollout.');
    expect(text).toContain('exit code 4');
    expect(text).toContain('boom: connection refused');
  });

  it('explains missing metric data and a manual rollback with who and why', () => {
    const inconclusive: RollbackCause = {
      kind: 'inconclusive',
      checks: 3,
      measurements: [{ metric: 'error-rate', verdict: 'inconclusive', max: 0.01, reason: 'no data' }],
    };
    expect(
      textOf(
        renderRollbackNotice(rollingBack, service, { kind: 'rollback_started', cause: inconclusive }).blocks,
      ),
    ).toContain('No usable metric values for 3 checks in a row:\n• *error-rate* no usable value: no data');
    const manual: RollbackCause = { kind: 'manual', by: 'U0ALICE', reason: 'customers report 500s' };
    const text = textOf(
      renderRollbackNotice(rollingBack, service, { kind: 'rolled_back', cause: manual }).blocks,
    );
    expect(text).toContain('Rolled back by hand by <@U0ALICE>: customers report 500s');
    expect(text).not.toContain('/unhold');
  });

  it('keeps a hostile manual reason and version inert', () => {
    const manual: RollbackCause = { kind: 'manual', by: 'U0ALICE', reason: HOSTILE.repeat(50) };
    const promotion = aPromotion({
      artifact: { version: HOSTILE },
      phase: { kind: 'rolled_back', cause: manual },
    });
    const message = renderRollbackNotice(
      promotion,
      service,
      { kind: 'rolled_back', cause: manual },
      { runningNow: HOSTILE },
    );
    expectValidMessage(message);
    expectInert(message);
  });
});
