import { type ApprovalPolicy, productionOf, type Service } from './pipeline.js';
import type { Promotion } from './promotion.js';

export type Decider = { readonly user: string; readonly groups: readonly string[] };

/** Who may approve production (users and user groups); none for a service without a gate. */
export function productionApprovers(service: Service): readonly string[] {
  return productionOf(service).approval?.approvers ?? [];
}

/** Whether `decider` is named directly or through one of the user groups they belong to. */
export function isNamedIn(ids: readonly string[], decider: Decider): boolean {
  return ids.includes(decider.user) || decider.groups.some((group) => ids.includes(group));
}

export function isOwner(service: Service, decider: Decider): boolean {
  return isNamedIn(service.owners, decider);
}

/** Why `decider` may not change `service` (promote, hold, unhold, roll back), or undefined: only owners may. */
export function refuseNonOwner(service: Service, decider: Decider): string | undefined {
  return isOwner(service, decider) ? undefined : `only the owners of ${service.name} may do that`;
}

export function approvalsOf(promotion: Promotion): number {
  return promotion.approvals.filter((a) => a.decision === 'approve').length;
}

/** Returns why `decider` may not decide this gate, or undefined when they may. */
export function refuseDecision(
  policy: ApprovalPolicy,
  promotion: Promotion,
  decider: Decider,
  decision: 'approve' | 'reject',
): string | undefined {
  if (!isNamedIn(policy.approvers, decider)) {
    return `you are not an approver for ${promotion.artifact.service} production`;
  }
  if (promotion.approvals.some((a) => a.by === decider.user)) {
    return 'you have already decided on this promotion';
  }
  if (decision === 'approve' && decider.user === requesterOf(promotion) && !policy.allowSelfApproval) {
    return 'you started this promotion, so someone else must approve it';
  }
  return undefined;
}

/** Who asked for production: whoever promoted it to the gate, or whoever published it. */
export function requesterOf(promotion: Promotion): string {
  return promotion.phase.kind === 'awaiting_approval' ? promotion.phase.requestedBy : promotion.createdBy;
}
