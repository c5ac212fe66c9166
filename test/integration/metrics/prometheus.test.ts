import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPrometheusMetric, toQueryUrl } from '../../../src/metrics/prometheus/index.js';
import { sendJson, startHttpServer, type TestHttpServer, unusedPort } from '../../support/http-server.js';
import { stepContext } from '../steps/helpers.js';

const now = 1_700_000_000.123;

/** What the fake Prometheus answers, by query. */
const answers: Record<string, { status: number; body: unknown }> = {
  scalar: { status: 200, body: { status: 'success', data: { resultType: 'scalar', result: [now, '0.5'] } } },
  one: {
    status: 200,
    body: {
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: { version: '1.4.2' }, value: [now, '0.0123'] }] },
    },
  },
  empty: { status: 200, body: { status: 'success', data: { resultType: 'vector', result: [] } } },
  many: {
    status: 200,
    body: {
      status: 'success',
      data: {
        resultType: 'vector',
        result: ['a', 'b', 'c'].map((pod) => ({ metric: { pod }, value: [now, '1'] })),
      },
    },
  },
  nan: {
    status: 200,
    body: {
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: {}, value: [now, 'NaN'] }] },
    },
  },
  inf: { status: 200, body: { status: 'success', data: { resultType: 'scalar', result: [now, '+Inf'] } } },
  matrix: { status: 200, body: { status: 'success', data: { resultType: 'matrix', result: [] } } },
  bad: {
    status: 400,
    body: { status: 'error', errorType: 'bad_data', error: 'parse error at char 5: unexpected "}"' },
  },
  weird: { status: 200, body: { hello: 'world' } },
};

let prometheus: TestHttpServer;

beforeAll(async () => {
  prometheus = await startHttpServer((request, response) => {
    const url = new URL(request.url, 'http://test');
    const query = url.searchParams.get('query') ?? '';
    if (query === 'hang') return;
    if (query === 'crash') {
      response.statusCode = 502;
      response.end('<html>bad gateway</html>');
      return;
    }
    const answer = answers[query] ?? answers.one;
    if (answer !== undefined) sendJson(response, answer.status, answer.body);
  });
});

afterAll(async () => {
  await prometheus.close();
});

function read(query: string, url = prometheus.url, context = stepContext(), timeoutMs = 1_000) {
  return readPrometheusMetric({ kind: 'prometheus', url, query }, context, { timeoutMs });
}

describe('the prometheus metric provider', () => {
  it('reads a scalar', async () => {
    expect(await read('scalar')).toEqual({ kind: 'value', value: 0.5 });
  });

  it('reads a vector with exactly one sample', async () => {
    expect(await read('one')).toEqual({ kind: 'value', value: 0.0123 });
  });

  it('reports no data for an empty vector', async () => {
    expect(await read('empty')).toEqual({ kind: 'no-data', reason: 'the query returned no series' });
  });

  it('refuses several series and says to aggregate the query', async () => {
    expect(await read('many')).toEqual({
      kind: 'error',
      reason: 'the query returned 3 series; aggregate it to one (e.g. with sum() or max())',
    });
  });

  it('reports no data for NaN and infinite values', async () => {
    expect(await read('nan')).toEqual({ kind: 'no-data', reason: 'the query returned NaN' });
    expect(await read('inf')).toEqual({ kind: 'no-data', reason: 'the query returned +Inf' });
  });

  it('refuses a range vector', async () => {
    const reading = await read('matrix');

    expect(reading).toMatchObject({ kind: 'error' });
    expect(reading.kind === 'error' ? reading.reason : '').toMatch(/returned a matrix/);
  });

  it("passes on Prometheus' error text", async () => {
    expect(await read('bad')).toEqual({
      kind: 'error',
      reason: 'Prometheus rejected the query: bad_data: parse error at char 5: unexpected "}"',
    });
  });

  it('reports an HTTP error that is not a Prometheus answer', async () => {
    expect(await read('crash')).toEqual({ kind: 'error', reason: 'Prometheus answered HTTP 502' });
    expect(await read('weird')).toEqual({
      kind: 'error',
      reason: 'Prometheus answered with something that is not a query API response',
    });
  });

  it('reports a timeout as an error', async () => {
    const reading = await read('hang', prometheus.url, stepContext(), 300);

    expect(reading).toEqual({ kind: 'error', reason: 'Prometheus did not answer: no answer within 300ms' });
  });

  it('reports an unreachable Prometheus as an error', async () => {
    const port = await unusedPort();

    const reading = await read('one', `http://127.0.0.1:${port}`);

    expect(reading.kind).toBe('error');
    expect(reading.kind === 'error' ? reading.reason : '').toMatch(
      /^Prometheus did not answer: .*ECONNREFUSED/,
    );
  });

  it('queries /api/v1/query whether or not the url ends with a slash', async () => {
    const before = prometheus.requests.length;

    await read('one', `${prometheus.url}/`);
    await read('one', prometheus.url);

    const paths = prometheus.requests
      .slice(before)
      .map((request) => new URL(request.url, 'http://x').pathname);
    expect(paths).toEqual(['/api/v1/query', '/api/v1/query']);
  });

  it('keeps a path prefix of the url', () => {
    expect(toQueryUrl('http://proxy/prometheus', 'up')).toBe('http://proxy/prometheus/api/v1/query?query=up');
    expect(toQueryUrl('http://proxy/prometheus/', 'up')).toBe(
      'http://proxy/prometheus/api/v1/query?query=up',
    );
    expect(toQueryUrl('not a url', 'up')).toBeUndefined();
  });

  it('replaces $NAME in the query with PromQL-escaped values', async () => {
    const before = prometheus.requests.length;
    const context = stepContext({ VERSION: '"} or vector(1) #\n', ENVIRONMENT: 'prod\\' });

    await read(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a ${NAME} placeholder, not a template literal.
      'sum(rate(errors{service="$SERVICE",version="$VERSION",env="${ENVIRONMENT}"}[1m]))',
      undefined,
      context,
    );

    const sent = new URL(prometheus.requests[before]?.url ?? '', 'http://x').searchParams.get('query');
    expect(sent).toBe(
      'sum(rate(errors{service="checkout",version="\\"} or vector(1) #\\n",env="prod\\\\"}[1m]))',
    );
  });
});
