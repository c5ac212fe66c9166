// What the rollback notice's chart shows: one metric of one rollout against its threshold(s).
import type { AnalysisSample, Measurement } from '../domain/promotion.js';

export type MetricChartSample = {
  /** ISO time of the analysis check. */
  readonly at: string;
  /** null: the check had no usable value (no data, provider error). */
  readonly value: number | null;
};

export type MetricChartInput = {
  /** Which artifact and metric, e.g. `checkout 2.1.0 · error-rate`. */
  readonly title: string;
  readonly metric: string;
  /** In any order: they are drawn by time. */
  readonly samples: readonly MetricChartSample[];
  readonly min?: number;
  readonly max?: number;
  /** When the rollback was decided: the right end of the time axis (`now`), drawn as a marker. */
  readonly breachedAt?: string;
  /** Pixels; 720 x 320 by default. */
  readonly width?: number;
  readonly height?: number;
};

export type RollbackChartSource = {
  readonly service: string;
  readonly version: string;
  /** The breaching (or inconclusive) measurement: its metric name and bounds. */
  readonly measurement: Measurement;
  /** The production stage's analysis checks. */
  readonly samples: readonly AnalysisSample[];
  readonly breachedAt?: string;
  /** Where in the rollout it breached, `breached at canary 10% (step 1 of 3)`: added to the title. */
  readonly breachedStep?: string;
};

/** The chart of one measured metric over a rollout's analysis checks. */
export function toMetricChartInput(source: RollbackChartSource): MetricChartInput {
  const { measurement } = source;
  return {
    title: [`${source.service} ${source.version}`, measurement.metric, source.breachedStep]
      .filter((part) => part !== undefined)
      .join(' · '),
    metric: measurement.metric,
    samples: source.samples.map((sample) => ({
      at: sample.at,
      value: sample.values[measurement.metric] ?? null,
    })),
    ...(measurement.min === undefined ? {} : { min: measurement.min }),
    ...(measurement.max === undefined ? {} : { max: measurement.max }),
    ...(source.breachedAt === undefined ? {} : { breachedAt: source.breachedAt }),
  };
}
