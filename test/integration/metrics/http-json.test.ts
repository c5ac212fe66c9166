import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHttpJsonMetric } from '../../../src/metrics/http-json/index.js';
import { sendJson, startHttpServer, type TestHttpServer, unusedPort } from '../../support/http-server.js';
import { stepContext } from '../steps/helpers.js';

const document = {
  value: 0.31,
  quoted: ' 0.5 ',
  nothing: null,
  flag: true,
  word: 'fast',
  data: { p99: 0.4 },
  series: [{ value: 1 }, { value: 2 }],
};

let endpoint: TestHttpServer;

beforeAll(async () => {
  endpoint = await startHttpServer((request, response) => {
    const path = new URL(request.url, 'http://test').pathname;
    if (path === '/hang') return;
    if (path === '/broken') {
      response.statusCode = 500;
      response.end('oops');
      return;
    }
    if (path === '/text') {
      response.end('p99 0.4');
      return;
    }
    sendJson(response, 200, document);
  });
});

afterAll(async () => {
  await endpoint.close();
});

function read(jsonPath: string, url = `${endpoint.url}/metrics`, timeoutMs = 1_000) {
  return readHttpJsonMetric(
    { kind: 'http', url, jsonPath, headers: { authorization: 'Bearer m-token' } },
    stepContext(),
    {
      timeoutMs,
    },
  );
}

describe('the http-json metric provider', () => {
  it('reads the number at the json path', async () => {
    expect(await read('value')).toEqual({ kind: 'value', value: 0.31 });
    expect(await read('data.p99')).toEqual({ kind: 'value', value: 0.4 });
    expect(await read('$.series[1].value')).toEqual({ kind: 'value', value: 2 });
  });

  it('reads a number sent as a string', async () => {
    expect(await read('quoted')).toEqual({ kind: 'value', value: 0.5 });
  });

  it('reports no data when the path is missing or null', async () => {
    expect(await read('data.p50')).toEqual({
      kind: 'no-data',
      reason: 'nothing at $.data.p50 in the answer',
    });
    expect(await read('nothing')).toEqual({ kind: 'no-data', reason: 'nothing is null' });
  });

  it('refuses values that are not numbers', async () => {
    expect(await read('flag')).toEqual({ kind: 'error', reason: 'flag is boolean true, not a number' });
    expect(await read('word')).toEqual({ kind: 'error', reason: 'word is the string "fast", not a number' });
    expect(await read('data')).toEqual({ kind: 'error', reason: 'data is an object, not a number' });
  });

  it('refuses a json path it cannot read', async () => {
    expect(await read('data..p99')).toMatchObject({
      kind: 'error',
      reason: expect.stringMatching(/^jsonPath: /),
    });
  });

  it('sends the headers of the query', async () => {
    const before = endpoint.requests.length;

    await read('value');

    expect(endpoint.requests[before]?.headers.authorization).toBe('Bearer m-token');
  });

  it('replaces $NAME in the url with URL-escaped values', async () => {
    const before = endpoint.requests.length;

    await readHttpJsonMetric(
      { kind: 'http', url: `${endpoint.url}/p99/$SERVICE?version=$VERSION`, jsonPath: 'value', headers: {} },
      stepContext({ SERVICE: '../secret', VERSION: '1 & x=2' }),
      { timeoutMs: 1_000 },
    );

    const received = new URL(endpoint.requests[before]?.url ?? '', 'http://test');
    expect(received.pathname).toBe('/p99/..%2Fsecret');
    expect(Object.fromEntries(received.searchParams)).toEqual({ version: '1 & x=2' });
  });

  it('reports HTTP errors, non-JSON answers, timeouts and an unreachable endpoint as errors', async () => {
    const port = await unusedPort();

    const broken = await read('value', `${endpoint.url}/broken`);
    const text = await read('value', `${endpoint.url}/text`);
    const slow = await read('value', `${endpoint.url}/hang`, 300);
    const unreachable = await read('value', `http://127.0.0.1:${port}/metrics`);

    expect(broken).toEqual({ kind: 'error', reason: 'the metrics endpoint answered HTTP 500' });
    expect(text).toEqual({ kind: 'error', reason: 'the metrics endpoint did not answer with JSON' });
    expect(slow).toEqual({
      kind: 'error',
      reason: 'the metrics endpoint did not answer: no answer within 300ms',
    });
    expect(unreachable).toMatchObject({ kind: 'error', reason: expect.stringMatching(/ECONNREFUSED/) });
  });
});
