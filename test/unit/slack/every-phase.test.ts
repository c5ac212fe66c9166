import { describe, expect, it } from 'vitest';
import type { Phase, Promotion, RollbackCause } from '../../../src/domain/promotion.js';
import { renderFailureNotice } from '../../../src/slack/blocks/render-failure-notice.js';
import { renderGate } from '../../../src/slack/blocks/render-gate.js';
import { renderPromotionMessage } from '../../../src/slack/blocks/render-promotion-message.js';
import { renderPromotionsList } from '../../../src/slack/blocks/render-promotions-list.js';
import { renderRejectModal } from '../../../src/slack/blocks/render-reject-modal.js';
import { renderRollbackNotice } from '../../../src/slack/blocks/render-rollback-notice.js';
import { renderStageDetail } from '../../../src/slack/blocks/render-stage-detail.js';
import { aService } from '../../support/pipeline-builder.js';
import { expectInert, expectValidMessage, expectValidModal } from './block-kit.js';
import { aFailedStep, aPromotion, aStage, aStep, at, HOSTILE, NOW } from './promotions.js';

// Every renderer, for a promotion in every phase, with ordinary and with hostile artifact data: always valid
// Block Kit within Slack's limits, and never a ping, mention or link that the input smuggled in.

const service = aService();
const hold = { environment: 'staging', reason: HOSTILE, by: 'U0ALICE', at: at(3) };
const breach: RollbackCause = {
  kind: 'metric-breach',
  checks: 2,
  measurements: [{ metric: HOSTILE, value: 0.2, max: 0.01, verdict: 'breach' }],
};
const manual: RollbackCause = { kind: 'manual', by: 'U0ALICE', reason: HOSTILE };

const PHASES: readonly Phase[] = [
  { kind: 'entering', environment: 1 },
  { kind: 'deploying', environment: 0 },
  { kind: 'testing', environment: 1, test: 1 },
  { kind: 'soaking', environment: 1, since: at(4), until: at(64) },
  { kind: 'waiting', environment: 1 },
  { kind: 'blocked', environment: 1, hold },
  {
    kind: 'awaiting_approval',
    requestedAt: at(10),
    requestedBy: 'api',
    expiresAt: '2024-03-02T09:10:00.000Z',
  },
  { kind: 'rejected', by: 'U0CAROL', reason: HOSTILE, at: at(20) },
  { kind: 'approval_expired', at: at(30) },
  { kind: 'rolling_out', step: 1, stage: { kind: 'testing', test: 0 } },
  {
    kind: 'rolling_out',
    step: 0,
    stage: { kind: 'analysing', check: 0, checks: 10, breaches: 0, inconclusive: 1 },
  },
  { kind: 'rolling_back', cause: breach, released: false },
  { kind: 'rolling_back', cause: { kind: 'step-failed', step: HOSTILE }, released: false },
  { kind: 'failed', environment: 1, step: HOSTILE, rollbackFailed: false },
  { kind: 'failed', environment: 2, step: 'rollback', rollbackFailed: true },
  { kind: 'rolled_back', cause: manual },
  { kind: 'rolled_back', cause: { kind: 'inconclusive', checks: 3, measurements: [] } },
  { kind: 'released', at: at(90) },
  { kind: 'superseded', by: HOSTILE, draining: 1 },
  { kind: 'superseded', by: HOSTILE, was: { kind: 'rejected', by: HOSTILE, reason: HOSTILE, at: at(40) } },
];

const longOutput = [HOSTILE, 'x'.repeat(10_000), HOSTILE];
const stages = [
  aStage('development', 'passed', [aStep('deploy'), aStep('smoke')]),
  aStage('staging', 'failed', [aStep('deploy'), aFailedStep(HOSTILE, { output: longOutput })]),
  aStage('production', 'running', [aStep('canary 10%'), aFailedStep('canary 50%', { output: longOutput })]),
];

function variants(phase: Phase): { readonly data: string; readonly promotion: Promotion }[] {
  const hostile = aPromotion({
    phase,
    stages,
    artifact: { version: HOSTILE.repeat(10), notes: HOSTILE.repeat(200), commit: HOSTILE, url: HOSTILE },
    createdBy: HOSTILE,
    approvals: [{ by: 'U0CAROL', decision: 'approve', at: at(40) }],
  });
  return [
    { data: 'ordinary', promotion: aPromotion({ phase }) },
    { data: 'hostile', promotion: hostile },
  ];
}

describe.each(PHASES.map((phase, index) => ({ phase, kind: phase.kind, index })))(
  'a promotion $kind (#$index)',
  ({ phase }) => {
    it.each(variants(phase))('renders valid, inert messages with $data data', ({ promotion }) => {
      const messages = [
        renderPromotionMessage(promotion, service),
        renderPromotionMessage(promotion, service, NOW),
        renderGate(promotion, service, {
          now: NOW,
          runningInProduction: { version: HOSTILE, digest: HOSTILE },
        }),
        ...promotion.stages.map((stage) => renderStageDetail(promotion, service, stage.environment)),
        renderFailureNotice(promotion, service, { kind: 'stage_failed' }),
        renderRollbackNotice(promotion, service, { kind: 'rollback_started' }, { running: undefined }),
        renderRollbackNotice(
          promotion,
          service,
          { kind: 'rolled_back' },
          { running: { version: HOSTILE, digest: HOSTILE } },
        ),
        renderRollbackNotice(
          promotion,
          service,
          {
            kind: 'rollback_failed',
            reason: HOSTILE,
            result: { durationMs: 1, exitCode: 1, output: longOutput },
          },
          { running: undefined },
        ),
        renderPromotionsList([promotion], new Map([['checkout', service]])),
      ];
      for (const message of messages) {
        expectValidMessage(message);
        // The failed-rollback notice pings the channel on purpose; nothing else may.
        expectInert({
          text: message.text.replace(/^<!here> /, ''),
          blocks: message.blocks.map(withoutHere),
        });
      }
      const modal = renderRejectModal(promotion);
      expectValidModal(modal);
      expectInert(modal);
      expect(messages.length).toBeGreaterThan(0);
    });
  },
);

function withoutHere(block: unknown): unknown {
  return JSON.parse(JSON.stringify(block).replaceAll('<!here> ', ''));
}
