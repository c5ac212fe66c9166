// Who goes into an environment, and who gives way: the rules the engine asks before it takes an environment's
// lock or supersedes older promotions.
import { productionIndex, type Service } from './pipeline.js';
import type { Hold, Promotion } from './promotion.js';

/**
 * The hold that keeps `promotion` out of production when its digest was rolled back automatically (`badReason`
 * is why), unless an approver forced it back in; undefined when nothing keeps it out.
 */
export function quarantineHold(
  promotion: Promotion,
  service: Service,
  index: number,
  badReason: string | undefined,
  at: string,
): Hold | undefined {
  if (index !== productionIndex(service) || promotion.forcedBy || !badReason) return undefined;
  const { version } = promotion.artifact;
  return {
    environment: service.environments[index]?.name ?? 'production',
    reason: `${version}'s digest was rolled back (${badReason}); an approver can /promote ${service.name} ${version} --force`,
    by: 'promotion-bot',
    at,
  };
}

/** What keeps a promotion out of the environment it waits for: a person's hold first, then quarantine. */
export function entryRefusal(
  promotion: Promotion,
  service: Service,
  index: number,
  known: { readonly hold: Hold | undefined; readonly badReason: string | undefined; readonly at: string },
): Hold | undefined {
  return known.hold ?? quarantineHold(promotion, service, index, known.badReason, known.at);
}

/** The promotions `newer` supersedes: published before it (the id breaks a tie in the same millisecond). */
export function supersededBy(newer: Promotion, active: readonly Promotion[]): Promotion[] {
  return active.filter(
    (other) =>
      other.id !== newer.id &&
      (other.createdAt < newer.createdAt || (other.createdAt === newer.createdAt && other.id < newer.id)),
  );
}
