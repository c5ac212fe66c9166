// Production analysis: which metrics to watch during a rollout, their thresholds, and how often to look.
import { z } from 'zod';
import type { MetricQuery, MetricThreshold, Monitor as MonitorPolicy } from '../domain/pipeline.js';
import { Duration, PositiveDuration } from './duration.js';
import { Headers, HttpUrl, identifier, reportDuplicates, strictObject, TemplateText } from './schema-kit.js';

/** Checks without usable data in a row that roll back when `inconclusiveLimit` is not set (or failureLimit, if higher). */
export const DEFAULT_INCONCLUSIVE_LIMIT = 3;

const PrometheusQuery = strictObject({ url: HttpUrl, query: TemplateText });

const HttpJsonQuery = strictObject({
  url: HttpUrl,
  jsonPath: z.string().min(1, 'must not be empty: name the field that holds the value, like data.p99'),
  headers: Headers,
});

const METRIC_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

const Metric = strictObject({
  name: identifier(METRIC_NAME, 'metric name', 'lowercase letters, digits, ".", "_" and "-"'),
  prometheus: PrometheusQuery.optional(),
  http: HttpJsonQuery.optional(),
  min: z.number().optional(),
  max: z.number().optional(),
}).transform((input, ctx): MetricThreshold => {
  const query = toQuery(input, ctx);
  if (input.min === undefined && input.max === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'needs min, max or both: the bounds the value must stay within',
      input,
    });
  }
  if (input.min !== undefined && input.max !== undefined && input.min >= input.max) {
    ctx.addIssue({
      code: 'custom',
      message: `must be greater than min (${input.min})`,
      path: ['max'],
      input: input.max,
    });
  }
  if (!query) return z.NEVER;
  return {
    name: input.name,
    query,
    ...(input.min === undefined ? {} : { min: input.min }),
    ...(input.max === undefined ? {} : { max: input.max }),
  };
});

type QueryInput = {
  prometheus?: z.output<typeof PrometheusQuery> | undefined;
  http?: z.output<typeof HttpJsonQuery> | undefined;
};

function toQuery({ prometheus, http }: QueryInput, ctx: z.core.$RefinementCtx): MetricQuery | undefined {
  if (prometheus && http) {
    ctx.addIssue({
      code: 'custom',
      message: 'a metric has either prometheus or http, not both: remove one',
      path: ['http'],
      input: http,
    });
    return undefined;
  }
  if (prometheus) return { kind: 'prometheus', url: prometheus.url, query: prometheus.query };
  if (http) return { kind: 'http', url: http.url, jsonPath: http.jsonPath, headers: http.headers };
  ctx.addIssue({
    code: 'custom',
    message: 'a metric needs a provider: add prometheus: { url, query } or http: { url, jsonPath }',
    input: undefined,
  });
  return undefined;
}

export const Monitor = strictObject({
  interval: PositiveDuration.default(30_000),
  failureLimit: z.int().min(1).default(1),
  inconclusiveLimit: z.int().min(1).optional(),
  initialDelay: Duration.default(0),
  duration: PositiveDuration.default(5 * 60_000),
  onInconclusive: z
    .enum(['rollback', 'ask'], { error: 'is rollback (the default) or ask (the approvers decide)' })
    .default('rollback'),
  metrics: z.array(Metric).min(1, 'needs at least one metric to watch'),
}).transform((input, ctx): MonitorPolicy => {
  reportDuplicates(
    input.metrics.map((metric) => metric.name),
    ctx,
    { what: 'metric', path: (index) => ['metrics', index, 'name'] },
  );
  return {
    intervalMs: input.interval,
    failureLimit: input.failureLimit,
    // Right after a deploy a rate() query often has no data yet (it needs two scrapes): tolerate a few
    // checks without data by default, but never let missing data pass for health.
    inconclusiveLimit: input.inconclusiveLimit ?? Math.max(input.failureLimit, DEFAULT_INCONCLUSIVE_LIMIT),
    initialDelayMs: input.initialDelay,
    durationMs: input.duration,
    metrics: input.metrics,
    ...(input.onInconclusive === 'ask' ? { onInconclusive: 'ask' as const } : {}),
  };
});
