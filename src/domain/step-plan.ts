import type { StepRef } from './events.js';
import { productionIndex, type Service, type Step } from './pipeline.js';
import type { Promotion } from './promotion.js';
import { planOf } from './rollout-plan.js';
import type { StepContext } from './step-context.js';

export type StepPlan = { readonly spec: Step; readonly context: StepContext };

/**
 * What a step job runs and the variables it gets. A rollback runs the environment's rollback step, or, when
 * there is none, redeploys the previous artifact with the deploy step.
 */
export function planStep(promotion: Promotion, step: StepRef, service: Service): StepPlan {
  const environment = service.environments[step.environment];
  if (!environment) throw new RangeError(`${service.name} has no environment #${step.environment}`);
  const stage = promotion.stages[step.environment];
  const base: StepContext = {
    SERVICE: promotion.artifact.service,
    VERSION: promotion.artifact.version,
    DIGEST: promotion.artifact.digest,
    ENVIRONMENT: environment.name,
    PREVIOUS_VERSION: stage?.predecessor?.version ?? '',
    WEIGHT: '',
    COLOR: stage?.color ?? '',
    PROMOTION_ID: promotion.id,
  };
  switch (step.kind) {
    case 'deploy': {
      const production = step.environment === productionIndex(service);
      const weight = production ? (planOf(promotion, service)[step.rolloutStep]?.weight ?? 100) : 100;
      return { spec: environment.deploy, context: { ...base, WEIGHT: String(weight) } };
    }
    case 'test': {
      const test = environment.tests[step.test];
      if (!test) throw new RangeError(`${environment.name} has no test #${step.test}`);
      return { spec: test, context: base };
    }
    case 'rollback': {
      // COLOR is the colour to go back to: the one the previous version runs in.
      const back = { ...base, COLOR: stage?.predecessor?.color ?? '' };
      if (environment.rollback) return { spec: environment.rollback, context: back };
      const previous = stage?.predecessor;
      return {
        spec: environment.deploy,
        context: {
          ...base,
          VERSION: previous?.version ?? '',
          DIGEST: previous?.digest ?? '',
          PREVIOUS_VERSION: promotion.artifact.version,
          WEIGHT: '100',
          COLOR: previous?.color ?? '',
        },
      };
    }
  }
}
