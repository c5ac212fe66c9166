import { describe, expect, it } from 'vitest';
import type { Phase } from '../../../src/domain/promotion.js';
import { renderGate } from '../../../src/slack/blocks/render-gate.js';
import { renderHome } from '../../../src/slack/blocks/render-home.js';
import { renderPromotionMessage } from '../../../src/slack/blocks/render-promotion-message.js';
import { renderStageDetail } from '../../../src/slack/blocks/render-stage-detail.js';
import { soakLeft, soakLength } from '../../../src/slack/blocks/soak-words.js';
import { stageWords } from '../../../src/slack/blocks/stage-line.js';
import { aService } from '../../support/pipeline-builder.js';
import { expectValidHome, expectValidMessage, textOf } from './block-kit.js';
import { aPromotion, aStage, aStep, at, atGate, NOW, pastStaging } from './promotions.js';

const service = aService();
/** NOW is at(60): the soak that ends at(102) has 42 minutes left. */
const soaking: Phase = { kind: 'soaking', environment: 1, since: at(42), until: at(102) };
const stages = [
  aStage('development', 'passed', [aStep('deploy')]),
  aStage('staging', 'running', [aStep('deploy'), aStep('acceptance')]),
  aStage('production', 'pending'),
];

describe('a soak in Slack', () => {
  it('shows the time left and the end on the promotion message, and the stage as soaking', () => {
    const promotion = aPromotion({ phase: soaking, stages });

    const message = renderPromotionMessage(promotion, service, NOW);

    expectValidMessage(message);
    const text = textOf(message.blocks);
    expect(text).toContain(':white_check_mark: development  :hourglass: staging  :white_circle: production');
    expect(text).toContain('Soaking in staging: 42 min left, until <!date^');
    expect(text).toContain(':arrows_counterclockwise: running · staging');
    expect(stageWords(promotion, service)).toBe('development done, staging soaking, production pending');
  });

  it('says only when the soak ends where the time of rendering is not known', () => {
    const text = textOf(renderPromotionMessage(aPromotion({ phase: soaking, stages }), service).blocks);

    expect(text).toContain('Soaking in staging until <!date^');
    expect(text).not.toContain('left');
  });

  it('shows the soak left on App Home’s in-flight line', () => {
    const view = renderHome({
      services: [
        {
          name: 'checkout',
          environments: [{ name: 'staging' }],
          inFlight: [
            {
              version: '1.4.3',
              status: 'running',
              environment: 'staging',
              soak: { until: at(102), leftMs: 42 * 60_000 },
            },
          ],
          holds: [],
        },
      ],
    });

    expectValidHome(view);
    expect(textOf(view.blocks)).toContain(
      ':arrows_counterclockwise: running · 1.4.3 · staging · soaking: 42 min left, until <!date^',
    );
  });

  it('shows the soak served next to what passed in staging, on the gate and in the stage’s thread reply', () => {
    const [development, staging, production] = pastStaging();
    if (!development || !staging || !production) throw new Error('three stages expected');
    const promotion = atGate({ stages: [development, { ...staging, soakedMs: 3600_400 }, production] });

    const gate = textOf(renderGate(promotion, service, { runningInProduction: undefined, now: NOW }).blocks);
    const detail = textOf(renderStageDetail(promotion, service, 'staging').blocks);

    expect(gate).toContain(
      '*Passed in staging:* `deploy` 4.2s · `acceptance` 30.0s · `load` 2m 5s · total 2m 39s · soaked 1h',
    );
    expect(detail).toContain('soaked 1h');
    expect(
      textOf(renderGate(atGate(), service, { runningInProduction: undefined, now: NOW }).blocks),
    ).not.toContain('soaked');
  });

  it('words a soak’s length as people say it, and never says nothing is left while it runs', () => {
    expect([3000, 42 * 60_000, 3600_000, 2 * 3600_000 + 5 * 60_000].map((ms) => soakLength(ms))).toEqual([
      '3s',
      '42 min',
      '1h',
      '2h 5 min',
    ]);
    expect(soakLeft(200, at(1))).toMatch(/^1s left, until <!date\^/);
    expect(soakLeft(0, at(1))).toMatch(/^over <!date\^.*, moving on$/);
  });
});
