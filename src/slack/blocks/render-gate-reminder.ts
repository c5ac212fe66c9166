import type { Notice } from '../../domain/events.js';
import { productionOf, type Service } from '../../domain/pipeline.js';
import type { Promotion } from '../../domain/promotion.js';
import { formatDuration, formatTime, mention, releaseName } from './format.js';
import { context, type SlackMessage, section, slackMessage } from './slack-message.js';
import { escapeMrkdwn, inlineCode, truncate } from './text.js';

/**
 * A reminder in the gate's thread: it mentions the approvers who have not decided (they get a notification),
 * and from `escalateAfter` on also the people it brings in.
 */
export function renderGateReminder(promotion: Promotion, service: Service, notice: Notice): SlackMessage {
  const remind = notice.remind;
  const release = releaseName(service.name, promotion.artifact.version);
  const production = escapeMrkdwn(productionOf(service).name);
  const waitingFor = (remind?.waitingFor ?? []).map(mention).join(' ');
  const waited = formatDuration(remind?.waitedMs ?? 0);
  const expires = promotion.phase.kind === 'awaiting_approval' ? promotion.phase.expiresAt : undefined;
  const lines = [
    `:bell: ${waitingFor || 'Approvers'}: ${release} has waited ${waited} for approval to ${production}.`,
  ];
  if (remind?.escalateTo?.length)
    lines.push(
      `:rotating_light: Bringing in ${remind.escalateTo.map(mention).join(' ')}: no decision after ${waited}.`,
    );
  const blocks = [
    section(lines.join('\n')),
    ...(expires ? [context([`The request expires ${formatTime(expires)}.`])] : []),
  ];
  return slackMessage(
    `Reminder: ${service.name} ${truncate(promotion.artifact.version, 60)} waits for approval`,
    blocks,
  );
}

/** An expired request is announced in the gate's thread, not only edited into the gate. */
export function renderGateExpired(promotion: Promotion, service: Service): SlackMessage {
  const again = inlineCode(`/promote ${service.name} ${truncate(promotion.artifact.version, 60)}`);
  const release = releaseName(service.name, promotion.artifact.version);
  const who = /^[UW]/.test(promotion.createdBy) ? `${mention(promotion.createdBy)}: ` : '';
  return slackMessage(
    `The approval request for ${service.name} ${truncate(promotion.artifact.version, 60)} expired`,
    [
      section(
        `:hourglass: ${who}the approval request for ${release} expired without a decision. ${again} asks again.`,
      ),
    ],
  );
}
