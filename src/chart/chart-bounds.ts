// The thresholds of the metric: what the chart draws as dashed red lines and what counts as a breach.
import type { MetricChartInput } from './metric-chart-input.js';

export type ChartBound = { readonly kind: 'min' | 'max'; readonly value: number };

export function boundsOf(input: Pick<MetricChartInput, 'min' | 'max'>): ChartBound[] {
  return [
    ...(input.max !== undefined && Number.isFinite(input.max)
      ? [{ kind: 'max' as const, value: input.max }]
      : []),
    ...(input.min !== undefined && Number.isFinite(input.min)
      ? [{ kind: 'min' as const, value: input.min }]
      : []),
  ];
}

/** The same rule as the analysis: above `max` or below `min` (equal is within bounds). */
export function isBreach(value: number, bounds: readonly ChartBound[]): boolean {
  return bounds.some((bound) => (bound.kind === 'max' ? value > bound.value : value < bound.value));
}
