import { describe, expect, it } from 'vitest';
import { renderStageDetail } from '../../../src/slack/blocks/render-stage-detail.js';
import { aService } from '../../support/pipeline-builder.js';
import { expectInert, expectValidMessage, textOf } from './block-kit.js';
import { aFailedStep, aPromotion, aStage, aStep, HOSTILE } from './promotions.js';

const service = aService();

describe('renderStageDetail', () => {
  it('lists each step with its result and duration', () => {
    const promotion = aPromotion({
      stages: [
        aStage('development', 'passed', [
          aStep('deploy', { durationMs: 4200 }),
          aStep('smoke', { durationMs: 1100 }),
        ]),
        aStage('staging', 'pending'),
        aStage('production', 'pending'),
      ],
    });
    const message = renderStageDetail(promotion, service, 'development');
    expectValidMessage(message);
    const text = textOf(message.blocks);
    expect(text).toContain('*checkout 1.4.2* passed in *development* (2m 0s)');
    expect(text).toContain(':white_check_mark: *deploy* passed 4.2s');
    expect(text).toContain(':white_check_mark: *smoke* passed 1.1s');
  });

  it('gives a failed step its exit code and the last lines of its output in a code block', () => {
    const output = Array.from({ length: 200 }, (_, i) => `log line ${i + 1}`);
    const promotion = aPromotion({
      stages: [
        aStage('development', 'passed'),
        aStage('staging', 'failed', [aStep('deploy'), aFailedStep('acceptance', { exitCode: 3, output })]),
        aStage('production', 'pending'),
      ],
    });
    const message = renderStageDetail(promotion, service, 'staging');
    expectValidMessage(message);
    const text = textOf(message.blocks);
    expect(text).toContain(':x: *acceptance* failed 4.2s · exit code 3');
    expect(text).toContain('```\n… 180 earlier lines not shown\nlog line 181');
    expect(text).toContain('log line 200\n```');
    expect(message.text).toContain('failed in staging at acceptance (exit code 3)');
  });

  it('names the HTTP status of a failed http step', () => {
    const smoke = aStep('smoke', { status: 'failed', httpStatus: 503 });
    const promotion = aPromotion({ stages: [aStage('development', 'failed', [smoke])] });
    const text = textOf(renderStageDetail(promotion, service, 'development').blocks);
    expect(text).toContain('failed 4.2s · HTTP 503');
    expect(text).not.toContain('exit code');
    expect(text).toContain('_No output._');
  });

  it('keeps 10k characters of hostile output inside one valid code block', () => {
    const promotion = aPromotion({
      stages: [
        aStage('development', 'failed', [
          aFailedStep('smoke', { output: [HOSTILE, 'y'.repeat(10_000), HOSTILE] }),
        ]),
      ],
    });
    const message = renderStageDetail(promotion, service, 'development');
    expectValidMessage(message);
    expectInert(message);
    const text = textOf(message.blocks);
    expect(text.match(/```/g)).toHaveLength(2);
  });

  it('says so when asked about an environment the promotion does not have', () => {
    const message = renderStageDetail(aPromotion(), service, 'qa');
    expectValidMessage(message);
    expect(textOf(message.blocks)).toContain('has no stage `qa`');
  });
});
