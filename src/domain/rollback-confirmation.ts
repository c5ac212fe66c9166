import { productionIndex, productionOf, type Service } from './pipeline.js';
import type { Promotion } from './promotion.js';

// A manual rollback is asked for, then confirmed. The ask names what it would do (which promotion, from which
// version to which); the confirmation acts only if that is still exactly what a rollback would do now, so a
// stale, repeated or replayed confirmation changes nothing. Pure: the engine reads the state and acts. Who may
// roll back (owners, asked and confirmed) is `refuseNonOwner` in approval-policy.

/** What a rollback would do now: take `promotionId` (running `from`) out of production, back to `to`. */
export type RollbackPlan = {
  readonly service: string;
  readonly environment: string;
  readonly promotionId: string;
  readonly from: string;
  readonly to: string;
};

export type RollbackDecision =
  | { readonly ok: true; readonly plan: RollbackPlan }
  | { readonly ok: false; readonly reason: string };

/** Why `environment` cannot be rolled back (only production can), or undefined; none named means production. */
export function refuseRollbackOf(service: Service, environment: string | undefined): string | undefined {
  const production = productionOf(service).name;
  if (environment === undefined || environment === production) return undefined;
  const names = service.environments.map((e) => e.name).join(', ');
  if (!service.environments.some((e) => e.name === environment))
    return `${service.name} has no environment "${environment}" (environments: ${names})`;
  return `rollback is for production (${production}); to replace a version in ${environment}, publish or promote another`;
}

/**
 * The rollback of `candidate` (the promotion rolling out in production, else the one released there): back to
 * the version that ran before it. Refused when there is nothing earlier, rather than rolling back to nothing.
 */
export function planRollback(service: Service, candidate: Promotion | undefined): RollbackDecision {
  const production = productionIndex(service);
  const environment = service.environments[production]?.name ?? 'production';
  if (!candidate)
    return { ok: false, reason: `nothing of ${service.name} is rolling out or released in ${environment}` };
  const { version } = candidate.artifact;
  const { phase } = candidate;
  if (phase.kind === 'rolling_back')
    return { ok: false, reason: `${service.name} ${version} is already being rolled back` };
  if (phase.kind !== 'rolling_out' && phase.kind !== 'released')
    return { ok: false, reason: `${service.name} ${version} is not in ${environment} now` };
  const previous = candidate.stages[production]?.predecessor;
  if (!previous) {
    return {
      ok: false,
      reason: `${service.name} ${environment} has nothing earlier to go back to: ${version} is its first release there`,
    };
  }
  return {
    ok: true,
    plan: {
      service: service.name,
      environment,
      promotionId: candidate.id,
      from: version,
      to: previous.version,
    },
  };
}

/**
 * Why a confirmation of `confirmed` must not act given what a rollback would do `now`, or undefined when it is
 * still exactly current. A second click finds the promotion already rolling back; a stale one finds another.
 */
export function refuseConfirmation(confirmed: RollbackPlan, now: RollbackDecision): string | undefined {
  const asked = `${confirmed.service} ${confirmed.environment} from ${confirmed.from} to ${confirmed.to}`;
  if (!now.ok) return `this confirmation is out of date (rolling back ${asked}): ${now.reason}`;
  const { plan } = now;
  const same =
    plan.service === confirmed.service &&
    plan.environment === confirmed.environment &&
    plan.promotionId === confirmed.promotionId &&
    plan.from === confirmed.from &&
    plan.to === confirmed.to;
  if (same) return undefined;
  return `this confirmation is out of date (rolling back ${asked}): a rollback now would go from ${plan.from} to ${plan.to}; run /rollback again to confirm that`;
}
