// Who goes into an environment, and who gives way: the rules the state machine asks before a promotion enters an
// environment (or reaches production's gate), and before the engine supersedes older promotions.
import { freezeHold, frozenAt } from './freeze.js';
import { productionIndex, type Service } from './pipeline.js';
import type { Hold, Promotion } from './promotion.js';

/**
 * What outside a promotion bears on where it may go: the service's holds in force and, when its digest was rolled
 * back automatically, why. Read with the promotion in one snapshot, so a decision never rests on older holds.
 */
export type Restrictions = {
  readonly holds: readonly Hold[];
  /** Why this promotion's digest was rolled back; it stays out of production until an approver forces it. */
  readonly rolledBack?: string;
};

export const NO_RESTRICTIONS: Restrictions = { holds: [] };

/** What the entry rules look at in a promotion: also a plan's artifact that has no promotion yet (a dry run). */
export type Candidate = Pick<Promotion, 'artifact' | 'forcedBy'>;

/** The hold in force on environment `index`: one placed on it first, else one on the whole service. */
export function holdOn(holds: readonly Hold[], service: Service, index: number): Hold | undefined {
  const name = service.environments[index]?.name;
  return (
    holds.find((hold) => hold.environment !== undefined && hold.environment === name) ??
    holds.find((hold) => hold.environment === undefined)
  );
}

/**
 * The hold that keeps `promotion` out of production when its digest was rolled back automatically (`badReason`
 * is why), unless an approver forced it back in; undefined when nothing keeps it out.
 */
export function quarantineHold(
  promotion: Candidate,
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

/**
 * What keeps a promotion out of environment `index` (for production: away from its gate): a person's hold, then a
 * freeze window open at `at`, then quarantine.
 */
export function entryRefusal(
  promotion: Candidate,
  service: Service,
  index: number,
  restrictions: Restrictions,
  at: string,
): Hold | undefined {
  return (
    holdOn(restrictions.holds, service, index) ??
    freezeOn(service, index, at) ??
    quarantineHold(promotion, service, index, restrictions.rolledBack, at)
  );
}

function freezeOn(service: Service, index: number, at: string): Hold | undefined {
  const name = service.environments[index]?.name;
  if (name === undefined || !service.freezes?.length) return undefined;
  const opening = frozenAt(service.freezes, name, new Date(at));
  return opening ? freezeHold(opening, name, at) : undefined;
}

/**
 * Where the restrictions now stop `promotion`, if they do: waiting to enter an environment they cover, or at
 * production's gate while production is held (the gate closes). Undefined for a promotion they do not stop.
 */
export function heldNow(
  promotion: Promotion,
  service: Service,
  restrictions: Restrictions,
  at: string,
): { readonly environment: number; readonly hold: Hold } | undefined {
  const { phase } = promotion;
  const environment =
    phase.kind === 'entering'
      ? phase.environment
      : phase.kind === 'awaiting_approval'
        ? productionIndex(service)
        : undefined;
  if (environment === undefined) return undefined;
  const hold = entryRefusal(promotion, service, environment, restrictions, at);
  return hold ? { environment, hold } : undefined;
}

/**
 * A hold event decided again on the restrictions as they are now: the caller read them a moment ago, and a hold
 * lifted since must not stop the promotion (nothing would ever wake it), while a newer one is the one to name.
 * Undefined when nothing stops it at that environment any more.
 */
export function heldAgain(
  promotion: Promotion,
  service: Service,
  restrictions: Restrictions,
  event: { readonly environment: number; readonly at: string },
): Hold | undefined {
  const stopped = heldNow(promotion, service, restrictions, event.at);
  return stopped?.environment === event.environment ? stopped.hold : undefined;
}

/** The promotions `newer` supersedes: published before it (the id breaks a tie in the same millisecond). */
export function supersededBy(newer: Promotion, active: readonly Promotion[]): Promotion[] {
  return active.filter(
    (other) =>
      other.id !== newer.id &&
      (other.createdAt < newer.createdAt || (other.createdAt === newer.createdAt && other.id < newer.id)),
  );
}
