import { type Environment, productionIndex, productionOf, type Service } from './pipeline.js';
import type { Color, Promotion } from './promotion.js';

export type RolloutStepPlan = {
  /** Traffic percentage given to the new version (0 for a blue-green preview). */
  readonly weight: number;
  /** How long the monitor analyses this step before the rollout moves on. */
  readonly analysisMs: number;
  readonly label: string;
};

export function idleColor(live: Color | undefined): Color {
  return live === 'blue' ? 'green' : 'blue';
}

/**
 * The production rollout as a list of steps. Canary: the configured weights, analysed during their pauses.
 * Blue-green: deploy the idle colour with no traffic, analyse it, then switch. All-at-once: one step, analysed
 * for the monitor's duration.
 */
export function rolloutPlan(environment: Environment, color: Color): readonly RolloutStepPlan[] {
  const window = environment.monitor?.durationMs ?? 0;
  switch (environment.deploy.strategy) {
    case 'canary':
      return environment.deploy.steps.map((step) => ({
        weight: step.weight,
        analysisMs: step.pauseMs,
        label: step.weight === 100 ? 'full rollout' : `canary ${step.weight}%`,
      }));
    case 'blue-green':
      return [
        { weight: 0, analysisMs: window, label: `deploy ${color}` },
        { weight: 100, analysisMs: 0, label: `switch to ${color}` },
      ];
    case 'all-at-once':
      return [{ weight: 100, analysisMs: window, label: 'deploy' }];
  }
}

/** The rollout of this promotion's production stage, in the colour it was given when it entered. */
export function planOf(p: Promotion, service: Service): readonly RolloutStepPlan[] {
  const production = productionOf(service);
  return rolloutPlan(production, p.stages[productionIndex(service)]?.color ?? 'blue');
}

/** How long production's rollout takes when every step is healthy: each step's analysis after its initial delay. */
export function expectedRolloutMs(service: Service): number {
  const production = productionOf(service);
  const delay = production.monitor?.initialDelayMs ?? 0;
  return rolloutPlan(production, 'blue').reduce(
    (total, step) => total + step.analysisMs + (step.analysisMs > 0 ? delay : 0),
    0,
  );
}
