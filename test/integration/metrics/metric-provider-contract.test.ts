// Every metric provider keeps the same promises: these run against each one through the registry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricQuery } from '../../../src/domain/pipeline.js';
import { metricProviders, readMetric } from '../../../src/metrics/registry.js';
import { sendJson, startHttpServer, type TestHttpServer, unusedPort } from '../../support/http-server.js';
import { stepContext } from '../steps/helpers.js';

let server: TestHttpServer;
let deadUrl: string;

/** One fake answering both the Prometheus API (`query` = `0.25`, `none`, `hang`) and plain JSON documents. */
beforeAll(async () => {
  server = await startHttpServer((request, response) => {
    const url = new URL(request.url, 'http://test');
    const wanted = url.pathname.startsWith('/api/') ? url.searchParams.get('query') : url.pathname.slice(1);
    if (wanted === 'hang') return;
    const result = wanted === 'none' ? [] : [{ metric: {}, value: [1, '0.25'] }];
    if (url.pathname.startsWith('/api/')) {
      sendJson(response, 200, { status: 'success', data: { resultType: 'vector', result } });
      return;
    }
    sendJson(response, 200, wanted === 'none' ? {} : { value: 0.25 });
  });
  deadUrl = `http://127.0.0.1:${await unusedPort()}`;
});

afterAll(async () => {
  await server.close();
});

const providers: { kind: string; query(base: string, what: 'value' | 'none' | 'hang'): MetricQuery }[] = [
  {
    kind: 'prometheus',
    query: (base, what) => ({ kind: 'prometheus', url: base, query: what === 'value' ? '0.25' : what }),
  },
  {
    kind: 'http',
    query: (base, what) => ({ kind: 'http', url: `${base}/${what}`, jsonPath: 'value', headers: {} }),
  },
];

describe.each(providers)('the $kind metric provider', ({ query }) => {
  it('reads a value', async () => {
    expect(await readMetric(query(server.url, 'value'), stepContext(), { timeoutMs: 1_000 })).toEqual({
      kind: 'value',
      value: 0.25,
    });
  });

  it('reports no data with a reason', async () => {
    const reading = await readMetric(query(server.url, 'none'), stepContext(), { timeoutMs: 1_000 });

    expect(reading).toMatchObject({ kind: 'no-data', reason: expect.any(String) });
  });

  it('reports a timeout as an error instead of throwing', async () => {
    const reading = await readMetric(query(server.url, 'hang'), stepContext(), { timeoutMs: 300 });

    expect(reading).toMatchObject({ kind: 'error', reason: expect.stringMatching(/no answer within 300ms/) });
  });

  it('reports an unreachable endpoint as an error instead of throwing', async () => {
    const reading = await readMetric(query(deadUrl, 'value'), stepContext(), { timeoutMs: 1_000 });

    expect(reading).toMatchObject({ kind: 'error', reason: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('reports a url that is not valid as an error instead of throwing', async () => {
    const reading = await readMetric(query('not a url', 'value'), stepContext(), { timeoutMs: 1_000 });

    expect(reading).toMatchObject({ kind: 'error', reason: expect.stringMatching(/not a valid URL/) });
  });
});

describe('the metric provider registry', () => {
  it('has a provider for every kind of metric query', () => {
    expect([...metricProviders.keys()].sort()).toEqual(['http', 'prometheus']);
  });

  it('rejects an unknown kind of query and lists the valid ones', async () => {
    const unknown: MetricQuery = JSON.parse('{"kind":"datadog","url":"x","query":"y"}');

    await expect(readMetric(unknown, stepContext(), { timeoutMs: 1_000 })).rejects.toThrow(
      'unknown metric kind "datadog": valid kinds are prometheus, http',
    );
  });
});
