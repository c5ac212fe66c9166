import { describe, expect, it } from 'vitest';
import type { Notice } from '../../../src/domain/events.js';
import { renderFailureNotice } from '../../../src/slack/blocks/render-failure-notice.js';
import { aService } from '../../support/pipeline-builder.js';
import { expectInert, expectValidMessage, mrkdwnOf, textOf } from './block-kit.js';
import { aFailedStep, aPromotion, aStage, HOSTILE } from './promotions.js';

const service = aService();
const failedInStaging = aPromotion({
  phase: { kind: 'failed', environment: 1, step: 'acceptance', rollbackFailed: false },
  stages: [
    aStage('development', 'passed'),
    aStage('staging', 'failed', [
      aFailedStep('acceptance', { exitCode: 2, output: ['ok 1', 'not ok 2 - checkout total'] }),
    ]),
    aStage('production', 'pending'),
  ],
  artifact: { url: 'https://ci.example/builds/7' },
});

function stageFailed(result: Notice['result']): Notice {
  return { kind: 'stage_failed', environment: 'staging', step: 'acceptance', ...(result ? { result } : {}) };
}

describe('renderFailureNotice', () => {
  it('names the environment, the step and its exit code, with the last output lines', () => {
    const message = renderFailureNotice(
      failedInStaging,
      service,
      stageFailed({ durationMs: 9000, exitCode: 2, output: ['ok 1', 'not ok 2 - checkout total'] }),
    );
    expectValidMessage(message);
    const text = textOf(message.blocks);
    expect(text).toContain(':x: *checkout 1.4.2 failed in staging* at `acceptance`: exit code 2');
    expect(text).toContain('```\nok 1\nnot ok 2 - checkout total\n```');
    expect(message.text).toBe('checkout 1.4.2 failed in staging at acceptance: exit code 2');
  });

  it('names an HTTP status and a timeout', () => {
    const http = renderFailureNotice(
      failedInStaging,
      service,
      stageFailed({ durationMs: 1000, httpStatus: 502, output: [] }),
    );
    expect(textOf(http.blocks)).toContain(': HTTP 502');
    const timeout = renderFailureNotice(
      failedInStaging,
      service,
      stageFailed({ durationMs: 120_000, timedOut: true, output: ['waiting…'] }),
    );
    expect(textOf(timeout.blocks)).toContain(': timed out after 2m 0s');
  });

  it('falls back to the recorded step when the notice carries no result', () => {
    const text = textOf(renderFailureNotice(failedInStaging, service, stageFailed(undefined)).blocks);
    expect(text).toContain('exit code 2');
    expect(text).toContain('not ok 2 - checkout total');
  });

  it('contains no links, not even the build URL', () => {
    const message = renderFailureNotice(failedInStaging, service, stageFailed(undefined));
    expect(mrkdwnOf(message.blocks)).not.toMatch(/<https?:/);
    expect(mrkdwnOf(message.blocks)).not.toContain('ci.example');
  });

  it('keeps the end of 10k characters of hostile output, inert and within limits', () => {
    const output = [HOSTILE, 'z'.repeat(10_000), `${HOSTILE} LAST`];
    const message = renderFailureNotice(
      aPromotion({ artifact: { version: HOSTILE } }),
      service,
      stageFailed({ durationMs: 1, exitCode: 1, error: HOSTILE, output }),
    );
    expectValidMessage(message);
    expectInert(message);
    const outputSection = message.blocks
      .map((block) => textOf([block]))
      .find((text) => text.includes('LAST'));
    expect(outputSection).toMatch(/^\*Last lines of output\*\n```\n[^`]*LAST\n```$/);
  });
});
