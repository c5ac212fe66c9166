// The prometheus metric provider against a real Prometheus scraping real counters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricQuery } from '../../../src/domain/pipeline.js';
import type { MetricReading } from '../../../src/metrics/metric-reading.js';
import { readMetric } from '../../../src/metrics/registry.js';
import { type MetricsService, startMetricsService } from '../../support/metrics-service.js';
import { type PrometheusServer, startPrometheus } from '../../support/prometheus-server.js';
import { waitFor } from '../../support/wait-for.js';
import { stepContext } from '../steps/helpers.js';

const ERROR_RATIO =
  'sum(rate(http_errors_total{version="$VERSION"}[5s])) / sum(rate(http_requests_total{version="$VERSION"}[5s]))';

let service: MetricsService;
let prometheus: PrometheusServer;
/** A second Prometheus, stopped by the test that needs one down. */
let doomed: PrometheusServer;

beforeAll(async () => {
  service = await startMetricsService();
  service.setErrorRatio('1.4.2', 0.2);
  for (const [version, weight] of [
    ['1.4.1', 100],
    ['1.4.2', 50],
  ] as const) {
    await fetch(`${service.url}/deploy?version=${version}&weight=${weight}`, { method: 'POST' });
  }
  [prometheus, doomed] = await Promise.all([
    startPrometheus({ targets: [service.target] }),
    startPrometheus({ targets: [service.target] }),
  ]);
});

afterAll(async () => {
  await Promise.all([prometheus?.stop(), doomed?.stop()]);
  await service?.close();
});

function read(query: string, version = '1.4.2', url = prometheus.url): Promise<MetricReading> {
  const metric: MetricQuery = { kind: 'prometheus', url, query };
  return readMetric(metric, stepContext({ VERSION: version }), { timeoutMs: 2_000 });
}

/** Reads until the reading is of `kind`: a new series needs two scrapes before rate() has anything. */
function readUntil(kind: MetricReading['kind'], query: string, version?: string): Promise<MetricReading> {
  return waitFor(`a ${kind} reading of ${query}`, async () => {
    const reading = await read(query, version);
    return reading.kind === kind ? reading : undefined;
  });
}

describe('the prometheus provider against a real Prometheus', () => {
  it("reads one version's error ratio from a rate query", async () => {
    const reading = await readUntil('value', ERROR_RATIO);

    expect(reading.kind === 'value' ? reading.value : undefined).toBeCloseTo(0.2, 2);
  });

  it('reads a healthy version as zero errors, not as no data', async () => {
    const reading = await readUntil('value', ERROR_RATIO, '1.4.1');

    expect(reading).toEqual({ kind: 'value', value: 0 });
  });

  it('reports no data for a version that never served traffic', async () => {
    expect(await read(ERROR_RATIO, '9.9.9')).toEqual({
      kind: 'no-data',
      reason: 'the query returned no series',
    });
  });

  it('refuses a query that returns a series per version and says to aggregate it', async () => {
    const reading = await readUntil('error', 'rate(http_requests_total[5s])');

    expect(reading).toEqual({
      kind: 'error',
      reason: 'the query returned 2 series; aggregate it to one (e.g. with sum() or max())',
    });
  });

  it('keeps PromQL in a version inside the label value: no data, where spliced in raw it would read 1', async () => {
    const hostile = '"} or vector(1) #';

    const escaped = await read('http_requests_total{version="$VERSION"}', hostile);
    const spliced = await read(`http_requests_total{version="${hostile}"}`);

    expect(escaped).toEqual({ kind: 'no-data', reason: 'the query returned no series' });
    expect(spliced).toEqual({ kind: 'value', value: 1 });
  });

  it("passes on Prometheus' reason for a query it cannot parse", async () => {
    const reading = await read('sum(rate(http_requests_total[5s])');

    expect(reading.kind).toBe('error');
    expect(reading.kind === 'error' ? reading.reason : '').toMatch(
      /^Prometheus rejected the query: bad_data: /,
    );
  });

  it('reports a Prometheus that has stopped as an error, never as a value', async () => {
    expect(await read('vector(1)', '1.4.2', doomed.url)).toEqual({ kind: 'value', value: 1 });

    await doomed.stop();
    const reading = await read('vector(1)', '1.4.2', doomed.url);

    expect(reading.kind).toBe('error');
    expect(reading.kind === 'error' ? reading.reason : '').toMatch(
      /^Prometheus did not answer: .*ECONNREFUSED/,
    );
  });
});
