// The rules behind what people ask for (promote, force, hold, unhold, roll back), without I/O: the commands read
// what these need, ask them, and carry out the answer.
import { type Decider, isNamedIn, productionApprovers } from './approval-policy.js';
import { phaseInWords } from './phase-words.js';
import type { Service } from './pipeline.js';
import type { Hold, Promotion } from './promotion.js';
import { isTerminal } from './promotion-view.js';

/** The environment a person named (none: production), or why there is no such one. */
export function resolveEnvironment(
  service: Service,
  name: string | undefined,
): { readonly index: number } | { readonly refusal: string } {
  if (name === undefined) return { index: service.environments.length - 1 };
  const index = service.environments.findIndex((environment) => environment.name === name);
  if (index >= 0) return { index };
  const names = service.environments.map((environment) => environment.name).join(', ');
  return { refusal: `${service.name} has no environment "${name}" (environments: ${names})` };
}

/** Why `decider` may not force `promotion` to start again, or undefined: only production's approvers, only once it ended. */
export function refuseForce(service: Service, promotion: Promotion, decider: Decider): string | undefined {
  const approvers = productionApprovers(service);
  if (!isNamedIn(approvers, decider))
    return `only approvers of ${service.name} production may force a promotion`;
  if (!isTerminal(promotion))
    return `${promotion.artifact.version} is still ${phaseInWords(promotion.phase, service)}: --force only restarts a promotion that has ended`;
  return undefined;
}

/** The hold a person places: on one environment or the whole service, lifting itself after `forMs` if given. */
export function holdOf(input: {
  readonly environment: string | undefined;
  readonly reason: string;
  readonly by: string;
  readonly now: Date;
  readonly forMs?: number;
}): Hold {
  const at = input.now.toISOString();
  const until =
    input.forMs === undefined ? {} : { until: new Date(input.now.getTime() + input.forMs).toISOString() };
  return {
    ...(input.environment === undefined ? {} : { environment: input.environment }),
    reason: input.reason,
    by: input.by,
    at,
    ...until,
  };
}

/** The promotions a released hold lets go on: those blocked at it (any environment when none was named). */
export function releasedByUnhold(
  service: Service,
  active: readonly Promotion[],
  environment: string | undefined,
): Array<{ readonly promotionId: string; readonly environment: number }> {
  return active.flatMap((promotion) => {
    const { phase } = promotion;
    if (phase.kind !== 'blocked') return [];
    if (environment !== undefined && service.environments[phase.environment]?.name !== environment) return [];
    return [{ promotionId: promotion.id, environment: phase.environment }];
  });
}

/** What a production rollback acts on: the promotion rolling out now, else the release running in production. */
export function rollbackTargetOf(
  active: readonly Promotion[],
  runningInProduction: Promotion | undefined,
): Promotion | undefined {
  return active.find((promotion) => promotion.phase.kind === 'rolling_out') ?? runningInProduction;
}
