import { approvalsOf, refuseDecision } from './approval-policy.js';
import type { Effect, Transition } from './events.js';
import { phaseInWords } from './phase-words.js';
import { productionIndex, type Service } from './pipeline.js';
import type { Promotion } from './promotion.js';
import {
  type Ctx,
  type Event,
  environmentAt,
  type Moved,
  moved,
  nameOf,
  notice,
  refuse,
} from './transition-kit.js';

// The production gate: asking for approval, deciding it, and letting a request expire.

export function requestApproval(
  p: Promotion,
  ctx: Ctx,
  effects: readonly Effect[],
  requestedBy: string,
): Moved {
  const policy = environmentAt(ctx.service, productionIndex(ctx.service)).approval;
  const expiresAfterMs = policy?.expiresAfterMs ?? 24 * 3600_000;
  const expiresAt = new Date(Date.parse(ctx.at) + expiresAfterMs).toISOString();
  return moved(p, { kind: 'awaiting_approval', requestedAt: ctx.at, requestedBy, expiresAt }, [
    ...effects,
    { type: 'scheduleApprovalExpiry', requestedAt: ctx.at, delayMs: expiresAfterMs },
    notice({
      kind: 'approval_requested',
      environment: nameOf(ctx.service, productionIndex(ctx.service)),
    }),
  ]);
}

export function onApprovalDecided(p: Promotion, e: Event<'approvalDecided'>, ctx: Ctx): Transition {
  if (p.phase.kind !== 'awaiting_approval') return refuse(whyNotAtGate(p, ctx.service));
  if (e.requestedAt !== undefined && e.requestedAt !== p.phase.requestedAt)
    return refuse(
      'that approval request was closed and asked again: use the Approve button on the newest gate',
    );
  if (Date.parse(ctx.at) >= Date.parse(p.phase.expiresAt)) return refuse('this approval request has expired');
  const production = productionIndex(ctx.service);
  const policy = environmentAt(ctx.service, production).approval;
  if (!policy) return refuse(`${ctx.service.name} production has no approval policy`);
  const refusal = refuseDecision(policy, p, { user: e.by, groups: e.byGroups }, e.decision);
  if (refusal) return refuse(refusal);
  const reason = e.reason === undefined ? {} : { reason: e.reason };
  const decided: Promotion = {
    ...p,
    approvals: [...p.approvals, { by: e.by, decision: e.decision, at: ctx.at, ...reason }],
  };
  const environment = nameOf(ctx.service, production);
  if (e.decision === 'reject') {
    return moved(decided, { kind: 'rejected', by: e.by, reason: e.reason ?? 'no reason given', at: ctx.at }, [
      notice({ kind: 'approval_decided', environment, by: e.by, ...reason }),
    ]);
  }
  if (approvalsOf(decided) < policy.required) {
    return moved(decided, p.phase, [notice({ kind: 'approval_recorded', environment, by: e.by })]);
  }
  return moved(decided, { kind: 'entering', environment: production }, [
    notice({ kind: 'approval_decided', environment, by: e.by }),
    { type: 'enterEnvironment', environment: production },
  ]);
}

function whyNotAtGate(p: Promotion, service: Service): string {
  switch (p.phase.kind) {
    case 'rejected':
      return `already rejected by ${p.phase.by}`;
    case 'approval_expired':
      return 'this approval request has expired';
    case 'superseded':
      return `superseded by a newer version (${p.phase.by})`;
    default:
      return `${p.artifact.version} is not waiting for approval (it is ${phaseInWords(p.phase, service)})`;
  }
}

export function onApprovalExpired(p: Promotion, e: Event<'approvalExpired'>, ctx: Ctx): Transition {
  if (p.phase.kind !== 'awaiting_approval' || p.phase.requestedAt !== e.requestedAt) {
    return refuse('that approval request is no longer open');
  }
  return moved(p, { kind: 'approval_expired', at: ctx.at }, [
    notice({
      kind: 'approval_expired',
      environment: nameOf(ctx.service, productionIndex(ctx.service)),
    }),
  ]);
}
