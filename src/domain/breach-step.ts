import { productionIndex, productionOf, type Service } from './pipeline.js';
import type { Promotion, RollbackCause } from './promotion.js';
import { planOf } from './rollout-plan.js';

// Where in the production rollout an automatic rollback was decided: people judge a breach at a 10% canary
// differently from one after the full rollout.

export type BreachStep = {
  /** 0-based index into the rollout plan. */
  readonly index: number;
  readonly count: number;
  /** `canary 10%`, `deploy green`, `full rollout`. */
  readonly label: string;
};

/** The rollout step the cause arose in; undefined for a rollback by hand, or when the step is not known. */
export function breachStepOf(
  promotion: Promotion,
  service: Service,
  cause: RollbackCause,
): BreachStep | undefined {
  const plan = planOf(promotion, service);
  const index = stepIndexOf(
    promotion,
    service,
    cause,
    plan.map((step) => step.label),
  );
  const step = index === undefined ? undefined : plan[index];
  return index === undefined || !step ? undefined : { index, count: plan.length, label: step.label };
}

/** `breached at canary 10% (step 1 of 3)`: plain text, for the notice and its chart alike. */
export function describeBreachStep(step: BreachStep, cause: RollbackCause): string {
  const verb =
    cause.kind === 'step-failed' ? 'failed' : cause.kind === 'inconclusive' ? 'no usable data' : 'breached';
  return `${verb} at ${step.label} (step ${step.index + 1} of ${step.count})`;
}

function stepIndexOf(
  promotion: Promotion,
  service: Service,
  cause: RollbackCause,
  labels: readonly string[],
): number | undefined {
  switch (cause.kind) {
    case 'metric-breach':
    case 'inconclusive':
      // The check that decided is the last one recorded: the rollback began with it.
      return promotion.stages[productionIndex(service)]?.samples?.at(-1)?.step;
    case 'step-failed': {
      const index = labels.indexOf(cause.step);
      if (index >= 0) return index;
      // Production's tests check the first rollout step.
      return productionOf(service).tests.some((test) => test.name === cause.step) ? 0 : undefined;
    }
    case 'manual':
      return undefined;
  }
}
