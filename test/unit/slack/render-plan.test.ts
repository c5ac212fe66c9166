import { describe, expect, it } from 'vitest';
import { renderPlan } from '../../../src/slack/blocks/render-plan.js';
import { anEnvironment, aProduction, aService } from '../../support/pipeline-builder.js';
import { aPlan, PLAN_DIGEST } from '../../support/plans.js';
import { expectInert, expectValidMessage, textOf } from './block-kit.js';
import { HOSTILE } from './promotions.js';

describe('renderPlan', () => {
  it('shows the outcome, quarantine, where it stops now, and each environment’s steps, gate, holds and freezes', () => {
    const message = renderPlan(aPlan());

    expectValidMessage(message);
    const text = textOf(message.blocks);
    expect(text).toContain('Dry run: checkout 1.4.2');
    expect(text).toContain('nothing was created');
    expect(text).toContain('Publishing it would start a new promotion.');
    expect(text).toContain('Its digest was rolled back (error-rate 0.05 &gt; 0.01)');
    expect(text).toContain('Now it would be held before *development* by <@U0ALICE>: db migration');
    expect(text).toContain('Gate: 1 of <@U0CAROL>, <!subteam^S0RELEASE> · expires after 24h 0m');
    expect(text).toContain('canary: canary 10% 5m 0s → canary 50% 10m 0s → full rollout');
    expect(text).toContain('Soak: 1h 0m');
    expect(text).toContain('Then: waits for /promote');
    expect(text).toContain('Frozen by “year-end” until <!date^');
    expect(text).toContain('“weekend” freezes it from <!date^');
    expect(text).toContain('*development* runs 1.4.1');
    expect(text).toContain('*staging* runs nothing yet (first release)');
    expect(message.text).toBe('Dry run of checkout 1.4.2: Publishing it would start a new promotion.');
  });

  it('says when it is already published and where, or when publishing would be refused', () => {
    const published = renderPlan(
      aPlan({ published: { digest: PLAN_DIGEST, promotionId: 'p-7' }, restrictions: { holds: [] } }),
    );
    const refused = renderPlan(
      aPlan({ published: { digest: `sha256:${'c'.repeat(64)}`, promotionId: 'p-7' } }),
    );

    expect(textOf(published.blocks)).toContain('Published: promotion `p-7`.');
    expect(textOf(refused.blocks)).toContain(':no_entry: Publishing it would be refused: checkout 1.4.2 was');
  });

  it('keeps what people typed inert: hold reasons, versions and freeze names', () => {
    const message = renderPlan(
      aPlan({
        artifact: { service: 'checkout', version: '1.4.2' },
        restrictions: { holds: [{ reason: HOSTILE, by: 'U0ALICE', at: '2024-03-01T09:00:00.000Z' }] },
      }),
    );

    expectValidMessage(message);
    expectInert(message);
  });

  it('stays within Slack’s limits for a long pipeline', () => {
    const many = aService({
      environments: [
        ...Array.from({ length: 70 }, (_, i) => anEnvironment(`env-${i}`, { tests: ['smoke'] })),
        aProduction(),
      ],
    });
    const message = renderPlan(
      aPlan({
        pipeline: { services: new Map([['checkout', many]]) },
        running: [],
        restrictions: { holds: [] },
      }),
    );

    expectValidMessage(message);
    expect(message.blocks.length).toBe(50);
  });
});
