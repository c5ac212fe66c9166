import type { MetricReading } from '../domain/analysis.js';
import type { MetricQuery } from '../domain/pipeline.js';
import type { StepContext } from '../domain/step-context.js';

// The domain owns the type (analysis compares readings with thresholds); providers produce it.
export type { MetricReading };

export type ReadMetricOptions = { timeoutMs: number };

/** Reads one metric now; resolves with an `error` or `no-data` reading for every expected failure. */
export type MetricProvider<Q extends MetricQuery = MetricQuery> = (
  query: Q,
  context: StepContext,
  options: ReadMetricOptions,
) => Promise<MetricReading>;
