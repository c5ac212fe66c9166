// Plans built by the real planner, for the tests of what prints and renders them.
import type { FreezeWindow } from '../../src/domain/freeze.js';
import type { Service } from '../../src/domain/pipeline.js';
import { type PlanInput, type PromotionPlan, planPromotion } from '../../src/domain/promotion-plan.js';
import { anEnvironment, aProduction, aService, HOUR } from './pipeline-builder.js';

export const PLAN_AT = '2024-03-01T09:00:00.000Z';
export const PLAN_DIGEST = `sha256:${'a'.repeat(64)}`;

const yearEnd: FreezeWindow = {
  name: 'year-end',
  environments: ['production'],
  schedule: { kind: 'once', from: '2024-02-28T00:00:00.000Z', until: '2024-03-04T00:00:00.000Z' },
};
const weekend: FreezeWindow = {
  name: 'weekend',
  environments: ['staging'],
  schedule: { kind: 'recurring', cron: '0 18 * * FRI', durationMs: 62 * HOUR, timezone: 'UTC' },
};

// Until soak lands in the pipeline types (issue 14, feature 2), an environment carries it as the schema will.
const soakingStaging = {
  ...anEnvironment('staging', { tests: ['acceptance', 'load'], promote: 'manual' }),
  soakMs: HOUR,
};

/** The contract's checkout with staging soaking an hour, a freeze open on production and one coming on staging. */
export const PLANNED_SERVICE: Service = aService({
  environments: [anEnvironment('development', { tests: ['smoke'] }), soakingStaging, aProduction()],
  freezes: [yearEnd, weekend],
});

export function aPlan(overrides: Partial<PlanInput> = {}): PromotionPlan {
  const result = planPromotion({
    pipeline: { services: new Map([[PLANNED_SERVICE.name, PLANNED_SERVICE]]) },
    artifact: { service: 'checkout', version: '1.4.2', digest: PLAN_DIGEST },
    restrictions: {
      holds: [{ environment: 'development', reason: 'db migration', by: 'U0ALICE', at: PLAN_AT }],
      rolledBack: 'error-rate 0.05 > 0.01',
    },
    running: [
      { version: '1.4.1', digest: `sha256:${'b'.repeat(64)}`, promotionId: 'p-0', since: PLAN_AT },
      undefined,
      undefined,
    ],
    at: new Date(PLAN_AT),
    ...overrides,
  });
  if (result.kind !== 'plan') throw new Error(result.message);
  return result.plan;
}
