// The `http` metric provider: GET a JSON document and read the number at `jsonPath`.
import type { MetricQuery } from '../../domain/pipeline.js';
import type { StepContext } from '../../domain/step-context.js';
import { escapeUrlComponent, substitute } from '../../domain/template.js';
import { fetchJson } from '../fetch-json.js';
import type { MetricReading, ReadMetricOptions } from '../metric-reading.js';
import { parseJsonPath, resolveJsonPath } from './json-path.js';
import { MetricNumber } from './schema.js';

export { type JsonPathSegment, parseJsonPath, resolveJsonPath } from './json-path.js';

type HttpJsonQuery = Extract<MetricQuery, { kind: 'http' }>;

/** `$NAME` in the url becomes the URL-escaped context value. */
export async function readHttpJsonMetric(
  query: HttpJsonQuery,
  context: StepContext,
  { timeoutMs }: ReadMetricOptions,
): Promise<MetricReading> {
  const path = parseJsonPath(query.jsonPath);
  if (!path.ok) return { kind: 'error', reason: `jsonPath: ${path.error}` };
  const url = substitute(query.url, context, escapeUrlComponent);
  const answer = await fetchJson(url, { headers: query.headers, timeoutMs });
  if (answer.kind === 'failed')
    return { kind: 'error', reason: `the metrics endpoint did not answer: ${answer.reason}` };
  if (!answer.ok) return { kind: 'error', reason: `the metrics endpoint answered HTTP ${answer.status}` };
  if (!answer.isJson) return { kind: 'error', reason: 'the metrics endpoint did not answer with JSON' };
  const resolved = resolveJsonPath(answer.json, path.segments);
  if (!resolved.found) return { kind: 'no-data', reason: `nothing at ${resolved.missing} in the answer` };
  if (resolved.value === null) return { kind: 'no-data', reason: `${query.jsonPath} is null` };
  const number = MetricNumber.safeParse(resolved.value);
  if (!number.success) {
    return { kind: 'error', reason: `${query.jsonPath} is ${describeValue(resolved.value)}, not a number` };
  }
  return { kind: 'value', value: number.data };
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
