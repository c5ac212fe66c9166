// The `prometheus` metric provider: one instant query whose answer must be a single number.
import type { MetricQuery } from '../../domain/pipeline.js';
import type { StepContext } from '../../domain/step-context.js';
import { escapePromQLLabelValue, substitute } from '../../domain/template.js';
import { fetchJson } from '../fetch-json.js';
import type { MetricReading, ReadMetricOptions } from '../metric-reading.js';
import { PrometheusQueryResponse, type PrometheusSample } from './schema.js';

export { PrometheusQueryResponse } from './schema.js';

type PrometheusQuery = Extract<MetricQuery, { kind: 'prometheus' }>;

/** `$NAME` in the query becomes the PromQL-escaped context value: write it inside double quotes. */
export async function readPrometheusMetric(
  query: PrometheusQuery,
  context: StepContext,
  { timeoutMs }: ReadMetricOptions,
): Promise<MetricReading> {
  const promql = substitute(query.query, context, escapePromQLLabelValue);
  const url = toQueryUrl(query.url, promql);
  if (url === undefined) return error(`the Prometheus url ${query.url} is not a valid URL`);
  const answer = await fetchJson(url, { timeoutMs });
  if (answer.kind === 'failed') return error(`Prometheus did not answer: ${answer.reason}`);
  const parsed = PrometheusQueryResponse.safeParse(answer.json);
  if (!parsed.success) {
    return error(
      answer.ok
        ? 'Prometheus answered with something that is not a query API response'
        : `Prometheus answered HTTP ${answer.status}`,
    );
  }
  const response = parsed.data;
  if (response.kind === 'error') return error(`Prometheus rejected the query: ${response.error}`);
  if (response.kind === 'unsupported') {
    return error(
      `the query returned a ${response.resultType}; it must return one number (an instant vector)`,
    );
  }
  return toReading(response.samples);
}

/** `<url>/api/v1/query?query=…`, whether or not the configured url ends with a slash or has a path prefix. */
export function toQueryUrl(baseUrl: string, promql: string): string | undefined {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  if (!URL.canParse(base)) return undefined;
  const url = new URL('api/v1/query', base);
  url.searchParams.set('query', promql);
  return url.href;
}

function toReading(samples: readonly PrometheusSample[]): MetricReading {
  const [sample, ...others] = samples;
  if (sample === undefined) return { kind: 'no-data', reason: 'the query returned no series' };
  if (others.length > 0) {
    return error(
      `the query returned ${samples.length} series; aggregate it to one (e.g. with sum() or max())`,
    );
  }
  if (!Number.isFinite(sample.value)) return { kind: 'no-data', reason: `the query returned ${sample.raw}` };
  return { kind: 'value', value: sample.value };
}

function error(reason: string): MetricReading {
  return { kind: 'error', reason };
}
