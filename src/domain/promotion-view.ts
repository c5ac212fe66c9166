import type { StepRef } from './events.js';
import { productionIndex, type Service } from './pipeline.js';
import type { Phase, Promotion, PromotionStatus } from './promotion.js';

const TERMINAL: ReadonlySet<PromotionStatus> = new Set(['failed', 'rolled_back', 'released', 'superseded']);

export function statusOf(phase: Phase): PromotionStatus {
  switch (phase.kind) {
    case 'entering':
    case 'deploying':
    case 'testing':
    case 'soaking':
    case 'rolling_out':
      return 'running';
    case 'waiting':
      return 'waiting';
    case 'awaiting_approval':
      return 'awaiting_approval';
    case 'blocked':
    case 'rejected':
    case 'approval_expired':
      return 'held';
    case 'rolling_back':
    case 'failed':
    case 'rolled_back':
    case 'released':
    case 'superseded':
      return phase.kind;
  }
}

/** Terminal promotions never move again (a released one can still be rolled back by hand). */
export function isTerminal(promotion: Promotion): boolean {
  return TERMINAL.has(statusOf(promotion.phase));
}

/** Index of the environment the promotion is in, or is at the gate of. */
export function environmentIndexOf(promotion: Promotion, service: Service): number {
  const phase = promotion.phase;
  const production = productionIndex(service);
  switch (phase.kind) {
    case 'entering':
    case 'deploying':
    case 'testing':
    case 'soaking':
    case 'waiting':
    case 'blocked':
    case 'failed':
      return phase.environment;
    case 'superseded': {
      // Where it stopped: at the production gate, say, even though production never started.
      if (phase.was) return environmentIndexOf({ ...promotion, phase: phase.was }, service);
      const reached = promotion.stages.findLastIndex((stage) => stage.status !== 'pending');
      return Math.max(0, reached);
    }
    default:
      return production;
  }
}

export function environmentOf(promotion: Promotion, service: Service): string {
  return service.environments[environmentIndexOf(promotion, service)]?.name ?? 'unknown';
}

/** Whether a job for `step` should run now: the promotion is in exactly the phase that scheduled it. */
export function expectsStep(promotion: Promotion, step: StepRef): boolean {
  const phase = promotion.phase;
  // Rollouts and rollbacks happen in production, the last stage: a late report from an earlier environment's
  // step (same index, other environment) must not pass for the production one.
  const inProduction = step.environment === promotion.stages.length - 1;
  switch (step.kind) {
    case 'deploy':
      return (
        (phase.kind === 'deploying' && phase.environment === step.environment && step.rolloutStep === 0) ||
        (phase.kind === 'rolling_out' &&
          inProduction &&
          phase.step === step.rolloutStep &&
          phase.stage.kind === 'deploying')
      );
    case 'test':
      return (
        (phase.kind === 'testing' && phase.environment === step.environment && phase.test === step.test) ||
        (phase.kind === 'rolling_out' &&
          inProduction &&
          phase.stage.kind === 'testing' &&
          phase.stage.test === step.test)
      );
    case 'rollback':
      return phase.kind === 'rolling_back' && inProduction;
  }
}

/** A superseded promotion whose step was in flight: its result only frees the environment. */
export function isDraining(promotion: Promotion, step: StepRef): boolean {
  return promotion.phase.kind === 'superseded' && promotion.phase.draining === step.environment;
}

/** Whether the promotion, in its current phase, is the one holding environment `index`. */
export function occupies(promotion: Promotion, index: number, service: Service): boolean {
  const phase = promotion.phase;
  const production = productionIndex(service);
  switch (phase.kind) {
    case 'deploying':
    case 'testing':
    case 'soaking':
      return phase.environment === index;
    case 'rolling_out':
      return index === production;
    case 'rolling_back':
      return index === production && !phase.released;
    case 'superseded':
      return phase.draining === index;
    default:
      return false;
  }
}
