import type { AuditEntry } from '../domain/audit.js';
import type { Service } from '../domain/pipeline.js';
import type { Promotion } from '../domain/promotion.js';
import { environmentOf, statusOf } from '../domain/promotion-view.js';

/** The promotion as the API shows it (the contract's fields first). */
export function toPromotionJson(
  promotion: Promotion,
  service: Service | undefined,
  events: readonly AuditEntry[],
) {
  const { artifact } = promotion;
  return {
    id: promotion.id,
    service: artifact.service,
    version: artifact.version,
    digest: artifact.digest,
    ...(artifact.commit ? { commit: artifact.commit } : {}),
    ...(artifact.url ? { url: artifact.url } : {}),
    ...(artifact.notes ? { notes: artifact.notes } : {}),
    status: statusOf(promotion.phase),
    environment: service ? environmentOf(promotion, service) : undefined,
    phase: promotion.phase,
    stages: promotion.stages,
    approvals: promotion.approvals,
    events,
    createdBy: promotion.createdBy,
    createdAt: promotion.createdAt,
    updatedAt: promotion.updatedAt,
  };
}
