import { describe, expect, it } from 'vitest';
import {
  decidedReply,
  describePromotion,
  forcedReply,
  promotedReply,
} from '../../../src/domain/command-replies.js';
import { refuseForce } from '../../../src/domain/command-rules.js';
import { phaseInWords } from '../../../src/domain/phase-words.js';
import { environmentOf, statusOf } from '../../../src/domain/promotion-view.js';
import { planRollback } from '../../../src/domain/rollback-confirmation.js';
import { gateOutcome } from '../../../src/slack/blocks/gate-outcome.js';
import { renderCommandReply, renderRefusal } from '../../../src/slack/blocks/render-command-reply.js';
import { renderFailureNotice } from '../../../src/slack/blocks/render-failure-notice.js';
import { renderGate } from '../../../src/slack/blocks/render-gate.js';
import { renderHome } from '../../../src/slack/blocks/render-home.js';
import { renderPromotionMessage } from '../../../src/slack/blocks/render-promotion-message.js';
import { renderPromotionsList } from '../../../src/slack/blocks/render-promotions-list.js';
import { renderRollbackNotice } from '../../../src/slack/blocks/render-rollback-notice.js';
import { renderStageDetail } from '../../../src/slack/blocks/render-stage-detail.js';
import { renderUsage, USAGE } from '../../../src/slack/blocks/render-usage.js';
import { textOf } from '../../support/fake-slack/index.js';
import { PHASE_KINDS, phaseFixtures, plausible } from '../domain/phase-fixtures.js';
import { attempt, EVENT_TYPES, type Flow } from '../domain/promotion-flow.js';

// Everything a person reads about a promotion, in every phase the state machine knows: the channel's messages,
// command replies, refusals, App Home, /promotions and the usage help speak in words, never in the state
// machine's names (`awaiting_approval`, `rolled_back`, "it is blocked").

const STATUSES = ['awaiting_approval', 'rolling_back', 'rolled_back'];
// Phase names that are not words of a sentence here (`waiting`, `released`, `failed` are).
const RAW = [
  ...Object.keys(PHASE_KINDS).filter((kind) => kind.includes('_')),
  ...STATUSES,
  'blocked',
  'entering',
];
const RAW_NAME = new RegExp(`\\b(${[...new Set(RAW)].join('|')})\\b`);

function plain(message: { text: string; blocks?: readonly object[] }): string {
  return textOf({ text: message.text, blocks: [...(message.blocks ?? [])] });
}

/** Every refusal the flow gives someone who asks for the wrong thing now. */
function refusalsOf(flow: Flow): string[] {
  return EVENT_TYPES.flatMap((type) => {
    const transition = attempt(flow, plausible(flow, type));
    return transition.ok ? [] : [transition.reason];
  });
}

function textsFor(flow: Flow): string[] {
  const { promotion, service } = flow;
  const approver = { user: 'U0CAROL', groups: [] };
  const rollback = planRollback(service, promotion);
  const refusals = [
    ...refusalsOf(flow),
    refuseForce(service, promotion, approver) ?? '',
    rollback.ok ? '' : rollback.reason,
  ];
  const replies = [
    promotedReply(promotion, service),
    decidedReply(promotion, service, 'approve'),
    decidedReply(promotion, service, 'reject'),
    forcedReply(promotion, service),
    describePromotion(promotion, service),
    phaseInWords(promotion.phase, service),
  ];
  const home = renderHome({
    services: [
      {
        name: service.name,
        environments: service.environments.map((environment) => ({ name: environment.name })),
        inFlight: [
          {
            version: promotion.artifact.version,
            status: statusOf(promotion.phase),
            environment: environmentOf(promotion, service),
          },
        ],
        holds: [],
      },
    ],
  });
  const messages = [
    renderPromotionMessage(promotion, service),
    renderGate(promotion, service, { now: flow.now, runningInProduction: undefined }),
    ...promotion.stages.map((stage) => renderStageDetail(promotion, service, stage.environment)),
    renderFailureNotice(promotion, service, { kind: 'stage_failed' }),
    renderRollbackNotice(promotion, service, { kind: 'rolled_back' }, { running: undefined }),
    renderPromotionsList([promotion], new Map([[service.name, service]])),
    ...replies.map((reply) => renderCommandReply('U0ALICE', reply)),
  ];
  return [
    ...refusals.map(renderRefusal),
    ...replies,
    gateOutcome(promotion, service),
    plain({ text: '', blocks: home.blocks }),
    ...messages.map(plain),
  ];
}

describe('the words a person reads', () => {
  it('checks every phase kind', () => {
    const kinds = new Set(phaseFixtures().map((fixture) => fixture.flow.promotion.phase.kind));
    expect([...kinds].sort()).toEqual(Object.keys(PHASE_KINDS).sort());
  });

  it.each(phaseFixtures())('never name a raw status for a promotion $label', ({ flow }) => {
    const texts = textsFor(flow);

    expect(texts.length).toBeGreaterThan(10);
    for (const text of texts) expect(text).not.toMatch(RAW_NAME);
  });

  it.each(phaseFixtures())('put no "at" before a time, which reads "today at 09:00" ($label)', ({ flow }) => {
    for (const text of textsFor(flow)) expect(text).not.toMatch(/\bat <!date/);
  });

  it('never name a raw status in the usage help', () => {
    for (const command of Object.keys(USAGE)) {
      expect(renderUsage(command, ['checkout'], 'unknown service "x"')).not.toMatch(RAW_NAME);
    }
  });

  it('catch the state machine’s names when they slip in', () => {
    expect('1.4.0 is awaiting_approval').toMatch(RAW_NAME);
    expect('1.4.0 is blocked, not waiting for a promote').toMatch(RAW_NAME);
    expect('shop 1.0.0: rolling_back (production)').toMatch(RAW_NAME);
  });
});
