import { describe, expect, it } from 'vitest';
import { renderPromotionMessage } from '../../../src/slack/blocks/render-promotion-message.js';
import { aService } from '../../support/pipeline-builder.js';
import { expectInert, expectValidMessage, textOf } from './block-kit.js';
import { aPromotion, aStage, aStep, at, HOSTILE, pastStaging } from './promotions.js';

const service = aService();

describe('renderPromotionMessage', () => {
  it('names the release, its status, short digest, short commit and build link', () => {
    const message = renderPromotionMessage(
      aPromotion({ artifact: { url: 'https://ci.example/builds/7' } }),
      service,
    );
    expectValidMessage(message);
    const text = textOf(message.blocks);
    expect(text).toContain('*checkout 1.4.2*');
    expect(text).toContain('running');
    expect(text).toContain('`sha256:0123456789ab`');
    expect(text).not.toContain('0123456789abc`');
    expect(text).toContain('`9fceb02`');
    expect(text).toContain('<https://ci.example/builds/7|build>');
    expect(message.text).toContain('checkout 1.4.2');
  });

  it('shows each stage in order with a marker for where it is', () => {
    const text = textOf(renderPromotionMessage(aPromotion(), service).blocks);
    expect(text).toContain(
      ':white_check_mark: development  :arrows_counterclockwise: staging  :white_circle: production',
    );
    expect(text).toContain('Testing in staging: `acceptance`');
  });

  it('marks production as waiting while the approval is requested', () => {
    const promotion = aPromotion({
      phase: { kind: 'awaiting_approval', requestedAt: at(10), requestedBy: 'api', expiresAt: at(70) },
      stages: pastStaging(),
    });
    const message = renderPromotionMessage(promotion, service);
    expectValidMessage(message);
    const text = textOf(message.blocks);
    expect(text).toContain(':white_check_mark: staging  :hourglass_flowing_sand: production');
    expect(text).toContain('awaiting approval');
  });

  it('shows the production rollout step and which analysis check is running', () => {
    const promotion = aPromotion({
      phase: {
        kind: 'rolling_out',
        step: 0,
        stage: {
          kind: 'analysing',
          check: 2,
          checks: 6,
          breaches: 1,
          inconclusive: 0,
          last: [{ metric: 'error-rate', value: 0.02, max: 0.01, verdict: 'breach' }],
        },
      },
      stages: pastStaging(aStage('production', 'running', [aStep('canary 10%')])),
    });
    const message = renderPromotionMessage(promotion, service);
    expectValidMessage(message);
    const text = textOf(message.blocks);
    expect(text).toContain('canary 10%');
    expect(text).toContain('analysing check 3 of 6');
    expect(text).toContain('1 breach in a row');
    expect(text).toContain('*error-rate* 0.02 > max 0.01');
  });

  it('says when a release is complete', () => {
    const promotion = aPromotion({
      phase: { kind: 'released', at: at(60) },
      stages: pastStaging(aStage('production', 'passed')),
    });
    const text = textOf(renderPromotionMessage(promotion, service).blocks);
    expect(text).toContain(':rocket: released');
    expect(text).toContain(':white_check_mark: production');
    expect(text).toContain('Released to production');
  });

  it('says which version superseded it and that the remaining stages will not run', () => {
    const promotion = aPromotion({ phase: { kind: 'superseded', by: '1.4.3' }, stages: pastStaging() });
    const text = textOf(renderPromotionMessage(promotion, service).blocks);
    expect(text).toContain('Superseded by 1.4.3');
    expect(text).toContain(':heavy_minus_sign: production');
  });

  it('marks a failed stage and names the step that failed', () => {
    const promotion = aPromotion({
      phase: { kind: 'failed', environment: 1, step: 'acceptance', rollbackFailed: false },
      stages: [aStage('development', 'passed'), aStage('staging', 'failed'), aStage('production', 'pending')],
    });
    const text = textOf(renderPromotionMessage(promotion, service).blocks);
    expect(text).toContain(':x: staging');
    expect(text).toContain('Failed in staging at `acceptance`');
  });

  it('tells people what to type when a manual promote is awaited', () => {
    const promotion = aPromotion({
      phase: { kind: 'waiting', environment: 0 },
      stages: [
        aStage('development', 'passed'),
        aStage('staging', 'pending'),
        aStage('production', 'pending'),
      ],
    });
    const text = textOf(renderPromotionMessage(promotion, service).blocks);
    expect(text).toContain(':hourglass_flowing_sand: staging');
    expect(text).toContain('`/promote checkout 1.4.2`');
  });

  it('shows a hold with who placed it and why', () => {
    const promotion = aPromotion({
      phase: {
        kind: 'blocked',
        environment: 1,
        hold: { environment: 'staging', reason: 'db migration', by: 'U0ALICE', at: at(3) },
      },
      stages: [aStage('development', 'passed'), aStage('staging', 'held'), aStage('production', 'pending')],
    });
    const text = textOf(renderPromotionMessage(promotion, service).blocks);
    expect(text).toContain(':double_vertical_bar: staging');
    expect(text).toContain('<@U0ALICE>: db migration');
  });

  it('keeps hostile versions and notes inert', () => {
    const promotion = aPromotion({
      artifact: { version: HOSTILE, notes: `${HOSTILE}\n`.repeat(300), url: 'javascript:alert(1)' },
    });
    const message = renderPromotionMessage(promotion, service);
    expectValidMessage(message);
    expectInert(message);
    const text = textOf(message.blocks);
    expect(text).not.toContain('<javascript');
    expect(text).toContain('&lt;!channel&gt;');
  });
});
