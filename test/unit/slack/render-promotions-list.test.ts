import { describe, expect, it } from 'vitest';
import type { Service } from '../../../src/domain/pipeline.js';
import { renderPromotionsList } from '../../../src/slack/blocks/render-promotions-list.js';
import { aService } from '../../support/pipeline-builder.js';
import { expectInert, expectValidMessage, textOf } from './block-kit.js';
import { aPromotion, at, HOSTILE, pastStaging } from './promotions.js';

const services: ReadonlyMap<string, Service> = new Map([['checkout', aService()]]);

describe('renderPromotionsList', () => {
  it('lists each promotion on one line with its status and environment, newest first', () => {
    const older = aPromotion({
      id: 'p-1',
      artifact: { version: '1.4.1' },
      phase: { kind: 'released', at: at(30) },
      stages: pastStaging(),
    });
    const newer = { ...aPromotion({ id: 'p-2' }), createdAt: at(60) };
    const message = renderPromotionsList([older, newer], services);
    expectValidMessage(message);
    const lines = textOf(message.blocks).split('\n');
    expect(lines[0]).toMatch(
      /^:arrows_counterclockwise: running · staging · \*checkout 1\.4\.2\* `sha256:0123456789ab` · <!date/,
    );
    expect(lines[1]).toMatch(/^:rocket: released · production · \*checkout 1\.4\.1\*/);
    expect(message.text).toBe('2 promotions');
  });

  it('says so when there are none', () => {
    const message = renderPromotionsList([], services);
    expectValidMessage(message);
    expect(textOf(message.blocks)).toContain('No promotions yet.');
  });

  it('stays within Slack limits for many hostile promotions', () => {
    const many = Array.from({ length: 500 }, (_, i) =>
      aPromotion({ id: `p-${i}`, artifact: { version: HOSTILE } }),
    );
    const message = renderPromotionsList(many, services);
    expectValidMessage(message);
    expectInert(message);
  });
});
