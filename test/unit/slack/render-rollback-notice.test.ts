import { describe, expect, it } from 'vitest';
import type { Notice } from '../../../src/domain/events.js';
import type { RollbackCause } from '../../../src/domain/promotion.js';
import { renderRollbackNotice } from '../../../src/slack/blocks/render-rollback-notice.js';
import { aService } from '../../support/pipeline-builder.js';
import { expectInert, expectValidMessage, textOf } from './block-kit.js';
import { aFailedStep, aPromotion, aStage, aStep, at, HOSTILE, pastStaging } from './promotions.js';

const service = aService();
const breach: RollbackCause = {
  kind: 'metric-breach',
  checks: 2,
  measurements: [
    { metric: 'error-rate', value: 0.2, max: 0.01, verdict: 'breach' },
    { metric: 'latency-p99', value: 0.12, max: 0.4, verdict: 'healthy' },
  ],
};
const previous = { version: '1.4.1', digest: `sha256:${'e'.repeat(64)}` };
const released = { version: '1.4.2', digest: `sha256:${'d'.repeat(64)}` };
// Two checks of the canary at 10% (step 0), the second one breaching: the rollback began with it.
const production = {
  ...aStage('production', 'running', [aStep('canary 10%')]),
  predecessor: previous,
  samples: [
    { at: at(30), step: 0, values: { 'error-rate': 0.2 } },
    { at: at(31), step: 0, values: { 'error-rate': 0.2 } },
  ],
};
const rollingBack = aPromotion({
  phase: { kind: 'rolling_back', cause: breach, released: false },
  stages: pastStaging(production),
});
const rolledBack = aPromotion({ phase: { kind: 'rolled_back', cause: breach }, stages: rollingBack.stages });

describe('renderRollbackNotice', () => {
  it('when it starts: says which metric breached, its value against its threshold, how many checks in a row and at which rollout step', () => {
    const notice: Notice = { kind: 'rollback_started', environment: 'production', cause: breach };
    const message = renderRollbackNotice(rollingBack, service, notice, { running: previous });
    expectValidMessage(message);
    const text = textOf(message.blocks);
    expect(text).toContain(':rewind: *Rolling back checkout 1.4.2 in production.*');
    expect(text).toContain('for 2 checks in a row');
    expect(text).toContain('*error-rate* 0.2 > max 0.01');
    expect(text).not.toContain('latency-p99');
    expect(text).toContain('*Where:* breached at canary 10% (step 1 of 3)');
    expect(text).toContain('*Running in production now:* 1.4.1 `sha256:eeeeeeeeeeee`');
    expect(text).not.toContain('*Next:*');
  });

  it('says what runs now from the deployment record it is given, never from what the promotion replaced', () => {
    const notice: Notice = { kind: 'rollback_started', environment: 'production', cause: breach };
    const releasedOne = aPromotion({ phase: { kind: 'rolling_back', cause: breach, released: true } });
    const text = textOf(renderRollbackNotice(releasedOne, service, notice, { running: released }).blocks);
    expect(text).toContain('*Running in production now:* 1.4.2 `sha256:dddddddddddd`');
    const none = textOf(renderRollbackNotice(rollingBack, service, notice, { running: undefined }).blocks);
    expect(none).toContain('*Running in production now:* nothing yet (first release)');
  });

  it('when it succeeds after a breach: says which version runs now, and exactly what to do next', () => {
    const message = renderRollbackNotice(
      rolledBack,
      service,
      { kind: 'rolled_back', environment: 'production', cause: breach },
      { running: previous },
    );
    expectValidMessage(message);
    const text = textOf(message.blocks);
    expect(text).toContain('*Rolled back checkout 1.4.2 in production.*');
    expect(text).toContain('*Where:* breached at canary 10% (step 1 of 3)');
    expect(text).toContain('*Running in production now:* 1.4.1 `sha256:eeeeeeeeeeee`');
    expect(text).toContain(
      '*Next:* An approver can `/promote checkout 1.4.2 --force`, or publish a fixed version.',
    );
    expect(message.text).toBe('Rolled back checkout 1.4.2 in production');
  });

  it('when it FAILS: is unmistakable, pings the channel, says a person must act and what was last recorded', () => {
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
    const message = renderRollbackNotice(failed, service, notice, { running: previous });
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
    expect(text).toContain(
      '*Running in production now:* *unknown*: check it by hand (last recorded: 1.4.1 `sha256:eeeeeeeeeeee`)',
    );
  });

  it('when it fails with nothing to run: gives the reason', () => {
    const notice: Notice = {
      kind: 'rollback_failed',
      environment: 'production',
      cause: breach,
      reason: 'no rollback step is configured',
    };
    const text = textOf(renderRollbackNotice(rollingBack, service, notice, { running: undefined }).blocks);
    expect(text).toContain('*Rollback problem:* no rollback step is configured');
    expect(text).toContain('*unknown*: check it by hand (last recorded: nothing yet (first release))');
  });

  it('explains a rollback caused by a failed rollout step with its exit code, output and the step it failed at', () => {
    const cause: RollbackCause = { kind: 'step-failed', step: 'canary 50%' };
    const promotion = aPromotion({
      phase: { kind: 'rolling_back', cause, released: false },
      stages: pastStaging(
        aStage('production', 'running', [aStep('canary 10%'), aFailedStep('canary 50%', { exitCode: 4 })]),
      ),
    });
    const text = textOf(
      renderRollbackNotice(promotion, service, { kind: 'rollback_started', cause }, { running: previous })
        .blocks,
    );
    expect(text).toContain('Step `canary 50%` failed during the rollout.');
    expect(text).toContain('*Where:* failed at canary 50% (step 2 of 3)');
    expect(text).toContain('exit code 4');
    expect(text).toContain('boom: connection refused');
  });

  it('explains missing metric data and a manual rollback with who and why, and what to do next without a hold', () => {
    const inconclusive: RollbackCause = {
      kind: 'inconclusive',
      checks: 3,
      measurements: [{ metric: 'error-rate', verdict: 'inconclusive', max: 0.01, reason: 'no data' }],
    };
    const noData = textOf(
      renderRollbackNotice(
        rollingBack,
        service,
        { kind: 'rollback_started', cause: inconclusive },
        { running: previous },
      ).blocks,
    );
    expect(noData).toContain(
      'No usable metric values for 3 checks in a row:\n• *error-rate* no usable value: no data',
    );
    expect(noData).toContain('*Where:* no usable data at canary 10% (step 1 of 3)');
    const manual: RollbackCause = { kind: 'manual', by: 'U0ALICE', reason: 'customers report 500s' };
    const text = textOf(
      renderRollbackNotice(
        rollingBack,
        service,
        { kind: 'rolled_back', cause: manual },
        { running: previous },
      ).blocks,
    );
    expect(text).toContain('Rolled back by hand by <@U0ALICE>: customers report 500s');
    expect(text).not.toContain('*Where:*');
    expect(text).toContain(
      '*Next:* An approver can `/promote checkout 1.4.2 --force`, or publish a fixed version.',
    );
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
      { running: { version: HOSTILE, digest: HOSTILE } },
    );
    expectValidMessage(message);
    expectInert(message);
  });
});
