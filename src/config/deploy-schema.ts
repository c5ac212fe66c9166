// The deploy step of an environment, with its rollout strategy.
import { z } from 'zod';
import type { CanaryStep, Deploy, RolloutStrategy } from '../domain/pipeline.js';
import { Duration } from './duration.js';
import { strictObject } from './schema-kit.js';
import { stepShape, toStep } from './step-schema.js';

const FULL_ROLLOUT: CanaryStep = { weight: 100, pauseMs: 0 };

const CanaryStepInput = strictObject({
  weight: z
    .int({ error: 'must be a whole percentage from 1 to 100' })
    .min(1, 'must be a whole percentage from 1 to 100')
    .max(100, 'must be a whole percentage from 1 to 100'),
  pause: Duration.default(0),
}).transform(({ weight, pause }): CanaryStep => ({ weight, pauseMs: pause }));

const STRATEGIES = ['all-at-once', 'canary', 'blue-green'] as const;

const ProductionStrategy = z.enum(STRATEGIES).default('all-at-once');

const StageStrategy = ProductionStrategy.refine((strategy) => strategy === 'all-at-once', {
  error:
    'canary and blue-green rollouts are only for production (the last environment): remove strategy here',
});

type RolloutInput = { strategy: RolloutStrategy; steps?: CanaryStep[] | undefined };
type RolloutContext = { addIssue(issue: z.core.$ZodSuperRefineIssue): void };

function toCanarySteps(steps: readonly CanaryStep[], ctx: RolloutContext): CanaryStep[] | undefined {
  let valid = true;
  steps.forEach((step, index) => {
    const previous = steps[index - 1];
    if (previous && step.weight <= previous.weight) {
      valid = false;
      ctx.addIssue({
        code: 'custom',
        message: `must be greater than the previous step's weight (${previous.weight}): weights only go up`,
        path: ['steps', index, 'weight'],
        input: step.weight,
      });
    }
  });
  if (!valid) return undefined;
  return steps.at(-1)?.weight === 100 ? [...steps] : [...steps, FULL_ROLLOUT];
}

function toRolloutSteps({ strategy, steps }: RolloutInput, ctx: RolloutContext): CanaryStep[] | undefined {
  if (strategy === 'canary') {
    if (steps !== undefined) return toCanarySteps(steps, ctx);
    ctx.addIssue({
      code: 'custom',
      message:
        'is required for strategy canary: list the traffic weights, like [{ weight: 10, pause: 5m }, { weight: 100 }]',
      path: ['steps'],
      input: undefined,
    });
    return undefined;
  }
  if (steps === undefined) return [FULL_ROLLOUT];
  ctx.addIssue({
    code: 'custom',
    message: `steps are only for strategy canary: ${strategy} moves all traffic at once, so remove steps`,
    path: ['steps'],
    input: steps,
  });
  return undefined;
}

function deploy(strategy: typeof ProductionStrategy) {
  return strictObject({
    ...stepShape,
    strategy,
    steps: z.array(CanaryStepInput).min(1).optional(),
  }).transform((fields, ctx): Deploy => {
    const step = toStep(fields, ctx);
    const steps = toRolloutSteps(fields, ctx);
    if (!step || !steps) return z.NEVER;
    return { ...step, strategy: fields.strategy, steps };
  });
}

export const ProductionDeploy = deploy(ProductionStrategy);
export const StageDeploy = deploy(StageStrategy);
