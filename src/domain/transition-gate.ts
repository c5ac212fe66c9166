import { approvalsOf, refuseDecision } from './approval-policy.js';
import type { Effect, Transition } from './events.js';
import { phaseInWords } from './phase-words.js';
import type { ApprovalPolicy } from './pipeline.js';
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
  const first = policy && reminderOffset(policy, 1);
  const remind: Effect[] =
    first === undefined
      ? []
      : [{ type: 'scheduleReminder', requestedAt: ctx.at, reminder: 1, delayMs: first }];
  return moved(p, { kind: 'awaiting_approval', requestedAt: ctx.at, requestedBy, expiresAt }, [
    ...effects,
    { type: 'scheduleApprovalExpiry', requestedAt: ctx.at, delayMs: expiresAfterMs },
    ...remind,
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

/**
 * When reminder `n` of a request is due, counted from the request: every `remindEvery`, and at `escalateAfter`
 * itself (it brings people in then, not at the next `remindEvery`); none once the request would have expired.
 */
export function reminderOffset(policy: ApprovalPolicy, n: number): number | undefined {
  const offset = scheduledOffset(policy.remindEveryMs, policy.escalateAfterMs, n);
  return offset !== undefined && offset < policy.expiresAfterMs ? offset : undefined;
}

function scheduledOffset(
  every: number | undefined,
  escalate: number | undefined,
  n: number,
): number | undefined {
  if (every === undefined) return n === 1 ? escalate : undefined;
  if (escalate === undefined || escalate % every === 0) return n * every;
  const before = Math.floor(escalate / every);
  if (n <= before) return n * every;
  return n === before + 1 ? escalate : (n - 1) * every;
}

/** Reminds the approvers who have not decided (and, once it is time, those it escalates to); the next one is scheduled. */
export function onReminderDue(p: Promotion, e: Event<'reminderDue'>, ctx: Ctx): Transition {
  const { phase } = p;
  if (phase.kind !== 'awaiting_approval' || phase.requestedAt !== e.requestedAt)
    return refuse('that approval request is no longer open');
  if (e.reminder !== (phase.reminded ?? 0) + 1)
    return refuse(`reminder ${e.reminder} is not the next one due`);
  if (Date.parse(ctx.at) >= Date.parse(phase.expiresAt)) return refuse('this approval request has expired');
  const policy = environmentAt(ctx.service, productionIndex(ctx.service)).approval;
  const offset = policy && reminderOffset(policy, e.reminder);
  if (!policy || offset === undefined)
    return refuse(`${ctx.service.name} production sends no reminder ${e.reminder}`);
  const decided = new Set(p.approvals.map((approval) => approval.by));
  const escalate =
    policy.escalateTo && policy.escalateAfterMs !== undefined && offset >= policy.escalateAfterMs
      ? { escalateTo: policy.escalateTo }
      : {};
  const next = reminderOffset(policy, e.reminder + 1);
  const requested = Date.parse(phase.requestedAt);
  const schedule: Effect[] =
    next === undefined
      ? []
      : [
          {
            type: 'scheduleReminder',
            requestedAt: phase.requestedAt,
            reminder: e.reminder + 1,
            delayMs: Math.max(0, requested + next - Date.parse(ctx.at)),
          },
        ];
  return moved(p, { ...phase, reminded: e.reminder }, [
    notice({
      kind: 'approval_reminder',
      environment: nameOf(ctx.service, productionIndex(ctx.service)),
      remind: {
        waitingFor: policy.approvers.filter((approver) => !decided.has(approver)),
        waitedMs: Date.parse(ctx.at) - requested,
        ...escalate,
      },
    }),
    ...schedule,
  ]);
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
