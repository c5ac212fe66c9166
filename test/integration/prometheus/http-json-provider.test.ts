// The http metric provider against a real JSON endpoint: the metrics service's /stats.json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricQuery } from '../../../src/domain/pipeline.js';
import type { MetricReading } from '../../../src/metrics/metric-reading.js';
import { readMetric } from '../../../src/metrics/registry.js';
import { type MetricsService, startMetricsService } from '../../support/metrics-service.js';
import { waitFor } from '../../support/wait-for.js';
import { stepContext } from '../steps/helpers.js';

let service: MetricsService;

beforeAll(async () => {
  service = await startMetricsService({ tickMs: 20 });
  service.setErrorRatio('2.1.0', 0.1);
  service.setP99('2.1.0', 0.35);
  await fetch(`${service.url}/deploy?version=2.0.0&weight=100`, { method: 'POST' });
  await fetch(`${service.url}/deploy?version=2.1.0&weight=25`, { method: 'POST' });
});

afterAll(async () => {
  await service?.close();
});

function read(
  jsonPath: string,
  version = '2.1.0',
  path = '/stats.json?version=$VERSION',
): Promise<MetricReading> {
  const query: MetricQuery = { kind: 'http', url: `${service.url}${path}`, jsonPath, headers: {} };
  return readMetric(query, stepContext({ VERSION: version }), { timeoutMs: 2_000 });
}

describe('the http metric provider against a real JSON endpoint', () => {
  it("reads a version's error rate", async () => {
    await waitFor('2.1.0 to have served 100 requests', async () => {
      const requests = await read('requests');
      return requests.kind === 'value' && requests.value >= 100;
    });

    const reading = await read('errorRate');

    expect(reading.kind === 'value' ? reading.value : undefined).toBeCloseTo(0.1, 1);
  });

  it('reads its p99 latency', async () => {
    expect(await read('p99')).toEqual({ kind: 'value', value: 0.35 });
  });

  it('reports no data while a version has served no requests', async () => {
    expect(await read('errorRate', '9.9.9')).toEqual({ kind: 'no-data', reason: 'errorRate is null' });
  });

  it('escapes $VERSION in the url, so a version cannot add query parameters', async () => {
    const before = await read('requests', '2.0.0');

    const reading = await read('version', '2.1.0&version=2.0.0');

    expect(before.kind === 'value' && before.value).toBeGreaterThan(0);
    expect(reading).toEqual({
      kind: 'error',
      reason: 'version is the string "2.1.0&version=2.0.0", not a number',
    });
  });

  it('reports no data when the path is not in the answer', async () => {
    expect(await read('latency.p50')).toEqual({
      kind: 'no-data',
      reason: 'nothing at $.latency in the answer',
    });
  });

  it('reports an endpoint that answers 404 as an error', async () => {
    expect(await read('errorRate', '2.1.0', '/stats.xml')).toEqual({
      kind: 'error',
      reason: 'the metrics endpoint answered HTTP 404',
    });
  });
});
