import type { PromotionEvent } from './events.js';
import type { Promotion, PromotionStatus } from './promotion.js';
import { statusOf } from './promotion-view.js';

/** One line of a promotion's append-only audit trail: who did what, when, and where it left the promotion. */
export type AuditEntry = {
  readonly at: string;
  readonly type: PromotionEvent['type'] | 'published' | 'refused';
  readonly by?: string;
  readonly status: PromotionStatus;
  readonly phase: string;
  readonly detail?: Readonly<Record<string, unknown>>;
};

export function auditOf(event: PromotionEvent, after: Promotion): AuditEntry {
  const { at, type, ...detail } = event;
  const by = 'by' in event && typeof event.by === 'string' ? { by: event.by } : {};
  return { at, type, ...by, status: statusOf(after.phase), phase: after.phase.kind, detail };
}

export function publishedAudit(promotion: Promotion): AuditEntry {
  return {
    at: promotion.createdAt,
    type: 'published',
    by: promotion.createdBy,
    status: statusOf(promotion.phase),
    phase: promotion.phase.kind,
    detail: { ...promotion.artifact },
  };
}
