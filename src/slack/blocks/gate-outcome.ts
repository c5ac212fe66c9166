import type { Service } from '../../domain/pipeline.js';
import type { Phase, Promotion } from '../../domain/promotion.js';
import { describePhase } from './describe-phase.js';
import { formatTime, mention } from './format.js';
import { describeHold } from './hold-words.js';
import { escapeMrkdwn, inlineCode, truncate } from './text.js';

/** How a closed approval request ended, for the gate message that has lost its buttons. */
export function gateOutcome(promotion: Promotion, service: Service): string {
  const phase = promotion.phase;
  const again = inlineCode(`/promote ${service.name} ${truncate(promotion.artifact.version, 60)}`);
  switch (phase.kind) {
    case 'awaiting_approval':
      return `:hourglass: *Expired* ${formatTime(phase.expiresAt)} without a decision.`;
    case 'approval_expired':
      return `${expired(phase)} ${again} asks again.`;
    case 'rejected':
      return `${rejected(phase)}\nThe release is held. ${again} asks for approval again.`;
    case 'superseded':
      return superseded(phase);
    case 'blocked': {
      const environment = escapeMrkdwn(service.environments[phase.environment]?.name ?? 'production');
      const approved = promotion.approvals.some((approval) => approval.decision === 'approve')
        ? `${approvedBy(promotion, service)}\n`
        : '';
      const what = phase.hold.freeze ? 'is frozen' : 'was put on hold';
      return `${approved}:double_vertical_bar: *${environment} ${what}* by ${describeHold(phase.hold)}\nThis request is closed: approval is asked again when the hold ends.`;
    }
    default:
      return approvedBy(promotion, service);
  }
}

/** A newer version closed it; what had happened at the gate before stays on the message. */
function superseded(phase: Extract<Phase, { kind: 'superseded' }>): string {
  const closed = `:fast_forward: *Superseded* by ${escapeMrkdwn(truncate(phase.by, 60))}: this request is closed.`;
  const was = phase.was;
  if (was?.kind === 'rejected') return `${rejected(was)}\n${closed}`;
  if (was?.kind === 'approval_expired') return `${expired(was)}\n${closed}`;
  return closed;
}

function rejected(phase: Extract<Phase, { kind: 'rejected' }>): string {
  return `:no_entry: *Rejected* by ${mention(phase.by)} ${formatTime(phase.at)}: ${escapeMrkdwn(truncate(phase.reason, 1000))}`;
}

function expired(phase: Extract<Phase, { kind: 'approval_expired' }>): string {
  return `:hourglass: *Expired* ${formatTime(phase.at)} without a decision.`;
}

function approvedBy(promotion: Promotion, service: Service): string {
  const approvals = promotion.approvals.filter((approval) => approval.decision === 'approve');
  if (approvals.length === 0) return `No longer waiting for approval. ${describePhase(promotion, service)}`;
  const who = approvals.map((approval) => `${mention(approval.by)} ${formatTime(approval.at)}`).join(', ');
  return `:white_check_mark: *Approved* by ${who}.`;
}
