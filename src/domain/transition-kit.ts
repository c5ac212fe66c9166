import type { Restrictions } from './entering.js';
import type { Effect, Notice, PromotionEvent, StepRef, Transition } from './events.js';
import { type Environment, productionIndex, type Service } from './pipeline.js';
import type { Phase, Promotion } from './promotion.js';
import { planOf } from './rollout-plan.js';

// What every part of the state machine shares: the context of one transition and small builders of results.

export type Ctx = {
  readonly service: Service;
  readonly at: string;
  /** The holds and quarantine in force, read in the same snapshot as the promotion. */
  readonly restrictions: Restrictions;
};

export type Event<T extends PromotionEvent['type']> = Extract<PromotionEvent, { type: T }>;

export type Moved = Extract<Transition, { ok: true }>;

export function moved(p: Promotion, phase: Phase, effects: readonly Effect[]): Moved {
  return { ok: true, promotion: { ...p, phase }, effects };
}

export function refuse(reason: string): Transition {
  return { ok: false, reason };
}

export function prepend(effects: readonly Effect[], transition: Transition): Transition {
  return transition.ok ? { ...transition, effects: [...effects, ...transition.effects] } : transition;
}

export function notice(n: Notice): Effect {
  return { type: 'notify', notice: n };
}

export function environmentAt(service: Service, index: number): Environment {
  const environment = service.environments[index];
  if (!environment) throw new RangeError(`${service.name} has no environment #${index}`);
  return environment;
}

export function nameOf(service: Service, index: number): string {
  return environmentAt(service, index).name;
}

export function isProductionIndex(service: Service, index: number): boolean {
  return index === productionIndex(service);
}

export function stepName(p: Promotion, step: StepRef, service: Service): string {
  switch (step.kind) {
    case 'deploy':
      return isProductionIndex(service, step.environment)
        ? (planOf(p, service)[step.rolloutStep]?.label ?? 'deploy')
        : 'deploy';
    case 'test':
      return environmentAt(service, step.environment).tests[step.test]?.name ?? `test ${step.test + 1}`;
    case 'rollback':
      return 'rollback';
  }
}

export function describeStep(step: StepRef): string {
  switch (step.kind) {
    case 'deploy':
      return `deploy #${step.rolloutStep} in environment ${step.environment}`;
    case 'test':
      return `test #${step.test} in environment ${step.environment}`;
    case 'rollback':
      return 'rollback';
  }
}
