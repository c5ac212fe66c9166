import type { MetricQuery } from '../domain/pipeline.js';
import type { StepContext } from '../domain/step-context.js';
import { readHttpJsonMetric } from './http-json/index.js';
import type { MetricProvider, MetricReading, ReadMetricOptions } from './metric-reading.js';
import { readPrometheusMetric } from './prometheus/index.js';

export type MetricKind = MetricQuery['kind'];

type QueryOfKind<K extends MetricKind> = Extract<MetricQuery, { kind: K }>;

function isKind<K extends MetricKind>(query: MetricQuery, kind: K): query is QueryOfKind<K> {
  return query.kind === kind;
}

/** Adapts a provider of one kind to the registry's signature. */
function forKind<K extends MetricKind>(kind: K, read: MetricProvider<QueryOfKind<K>>): [K, MetricProvider] {
  return [
    kind,
    (query, context, options) => {
      if (!isKind(query, kind))
        throw new Error(`the ${kind} metric provider cannot read a ${query.kind} query`);
      return read(query, context, options);
    },
  ];
}

export const metricProviders: ReadonlyMap<string, MetricProvider> = new Map([
  forKind('prometheus', readPrometheusMetric),
  forKind('http', readHttpJsonMetric),
]);

/** Reads one metric with the provider of its kind. Rejects only for a kind no provider handles. */
export async function readMetric(
  query: MetricQuery,
  context: StepContext,
  options: ReadMetricOptions,
): Promise<MetricReading> {
  const provider = metricProviders.get(query.kind);
  if (provider === undefined) {
    const known = [...metricProviders.keys()].join(', ');
    throw new Error(`unknown metric kind "${String(query.kind)}": valid kinds are ${known}`);
  }
  return provider(query, context, options);
}
