import type { ActionsBlock } from '@slack/types';
import type { Notice } from '../../domain/events.js';
import { productionOf, type Service } from '../../domain/pipeline.js';
import type { Promotion } from '../../domain/promotion.js';
import { button } from './button.js';
import { describeMeasurement } from './describe-cause.js';
import { rolloutStepLabel } from './describe-phase.js';
import { formatTime, mention, releaseName } from './format.js';
import { context, type SlackMessage, section, slackMessage } from './slack-message.js';
import { escapeMrkdwn, truncate } from './text.js';
import {
  INCONCLUSIVE_CONTINUE_ACTION,
  INCONCLUSIVE_ROLLBACK_ACTION,
  inconclusiveBlockId,
} from './wire-ids.js';

/**
 * `onInconclusive: ask`: the approvers decide whether the rollout goes on without data. Once answered (or timed
 * out) the same message says what was decided, by whom, and loses its buttons.
 */
export function renderInconclusiveQuestion(
  promotion: Promotion,
  service: Service,
  answer?: Notice,
): SlackMessage {
  const production = productionOf(service);
  const release = releaseName(service.name, promotion.artifact.version);
  const plain = `${service.name} ${truncate(promotion.artifact.version, 60)}`;
  const { phase } = promotion;
  const asking = phase.kind === 'rolling_out' && phase.stage.kind === 'asking' ? phase.stage : undefined;
  const step =
    phase.kind === 'rolling_out' ? rolloutStepLabel(promotion, service, phase.step) : 'its rollout';
  if (!asking || answer) {
    const decided =
      answer?.by === 'promotion-bot' || !answer?.by ? 'Nobody answered in time' : mention(answer.by);
    const what =
      answer?.reason === 'continue'
        ? 'chose to go on: the analysis continues'
        : answer?.reason === 'no answer in time'
          ? 'so it rolls back'
          : 'chose to roll back';
    return slackMessage(`Missing data in ${production.name}: ${plain} answered`, [
      section(
        `:grey_question: *No usable data for ${release} in ${escapeMrkdwn(production.name)}.*\n${decided} ${what}.`,
      ),
    ]);
  }
  const approvers = production.approval?.approvers.map(mention).join(' ') ?? '';
  const lines = [
    `:grey_question: *No usable data for ${release} in ${escapeMrkdwn(production.name)}* at ${step}: ${asking.checks} checks in a row.`,
    ...asking.measurements.map((m) => `• ${describeMeasurement(m)}`),
    `${approvers}: go on without it, or roll back? Without an answer it rolls back ${formatTime(asking.deadline)}.`,
  ];
  const actions: ActionsBlock = {
    type: 'actions',
    block_id: inconclusiveBlockId(asking.askedAt),
    elements: [
      button({
        actionId: INCONCLUSIVE_CONTINUE_ACTION,
        value: promotion.id,
        label: 'Continue',
        style: 'primary',
        confirm: {
          title: 'Continue without data',
          text: `Let ${plain} roll on in ${production.name} without the missing data? A breach still rolls it back.`,
          yes: 'Continue',
          no: 'Cancel',
        },
      }),
      button({
        actionId: INCONCLUSIVE_ROLLBACK_ACTION,
        value: promotion.id,
        label: 'Roll back',
        style: 'danger',
        confirm: {
          title: 'Roll back',
          text: `Roll ${plain} back in ${production.name}?`,
          yes: 'Roll back',
          no: 'Cancel',
        },
      }),
    ],
  };
  return slackMessage(`Missing data in ${production.name}: continue ${plain} or roll back?`, [
    section(truncate(lines.join('\n'), 3000)),
    context(['Only approvers of production may decide; the answer is recorded in the audit trail.']),
    actions,
  ]);
}
