import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHttpStep } from '../../../src/steps/http/index.js';
import { startHttpServer, type TestHttpServer, unusedPort } from '../../support/http-server.js';
import { httpStepOf, stepContext } from './helpers.js';

let server: TestHttpServer;

beforeAll(async () => {
  server = await startHttpServer((request, response) => {
    const url = new URL(request.url, 'http://test');
    if (url.pathname === '/hang') return;
    if (url.pathname === '/echo-headers') {
      response.end(`you sent ${request.headers.authorization ?? 'nothing'}`);
      return;
    }
    if (url.pathname === '/long') {
      response.end(Array.from({ length: 1_000 }, (_, index) => `${index} ${'z'.repeat(400)}`).join('\n'));
      return;
    }
    response.statusCode = Number(url.searchParams.get('status') ?? 200);
    response.end(`${request.method} ${url.pathname}\nthanks`);
  });
});

afterAll(async () => {
  await server.close();
});

describe('the http step driver', () => {
  it('passes on any 2xx status by default and shows the status and the first lines of the body', async () => {
    const outcome = await runHttpStep(httpStepOf(`${server.url}/deploy?status=204`), stepContext(), {});
    const ok = await runHttpStep(httpStepOf(`${server.url}/deploy?status=299`), stepContext(), {});

    expect(outcome).toMatchObject({ ok: true, httpStatus: 204, timedOut: false, output: ['HTTP 204'] });
    expect(ok).toMatchObject({ ok: true, httpStatus: 299, output: ['HTTP 299', 'GET /deploy', 'thanks'] });
  });

  it('fails on a status outside 2xx and says what it expected', async () => {
    const outcome = await runHttpStep(httpStepOf(`${server.url}/deploy?status=503`), stepContext(), {});

    expect(outcome).toMatchObject({ ok: false, httpStatus: 503, error: 'expected HTTP 2xx, got HTTP 503' });
    expect(outcome.output).toEqual(['HTTP 503', 'GET /deploy', 'thanks']);
  });

  it('passes only on the listed statuses when the step names them', async () => {
    const step = (status: number) =>
      httpStepOf(`${server.url}/deploy?status=${status}`, { expectStatus: [202, 409] });

    const accepted = await runHttpStep(step(202), stepContext(), {});
    const conflict = await runHttpStep(step(409), stepContext(), {});
    const plainOk = await runHttpStep(step(200), stepContext(), {});

    expect([accepted.ok, conflict.ok, plainOk.ok]).toEqual([true, true, false]);
    expect(plainOk.error).toBe('expected HTTP 202 or 409, got HTTP 200');
  });

  it('sends the method, headers and body of the step', async () => {
    const before = server.requests.length;

    await runHttpStep(
      httpStepOf(`${server.url}/hooks/deploy`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-deploy-key': 'k-123' },
        body: '{"ref":"main"}',
      }),
      stepContext(),
      {},
    );

    expect(server.requests[before]).toMatchObject({
      method: 'POST',
      url: '/hooks/deploy',
      body: '{"ref":"main"}',
      headers: { 'content-type': 'application/json', 'x-deploy-key': 'k-123' },
    });
  });

  it('never shows request headers, even when the server echoes them back', async () => {
    const outcome = await runHttpStep(
      httpStepOf(`${server.url}/echo-headers`, { headers: { authorization: 'Bearer s3cr3t-token' } }),
      stepContext(),
      {},
    );

    expect(outcome.output).toEqual(['HTTP 200', 'you sent [redacted]']);
    expect(JSON.stringify(outcome)).not.toContain('s3cr3t-token');
  });

  it('replaces $NAME in the url with URL-escaped values that cannot change the path or query', async () => {
    const before = server.requests.length;

    await runHttpStep(
      httpStepOf(`${server.url}/apps/$SERVICE/deploy?version=\${VERSION}&env=$ENVIRONMENT`),
      stepContext({ SERVICE: '../admin', VERSION: '1.0&force=true', ENVIRONMENT: '$(rm -rf /)' }),
      {},
    );

    const received = new URL(server.requests[before]?.url ?? '', 'http://test');
    expect(received.pathname).toBe('/apps/..%2Fadmin/deploy');
    expect(Object.fromEntries(received.searchParams)).toEqual({
      version: '1.0&force=true',
      env: '$(rm -rf /)',
    });
  });

  it('bounds the output of a long body', async () => {
    const outcome = await runHttpStep(httpStepOf(`${server.url}/long`), stepContext(), {});

    expect(outcome.output).toHaveLength(20);
    expect(outcome.output[1]?.startsWith('0 zzz')).toBe(true);
    for (const line of outcome.output) expect(line.length).toBeLessThanOrEqual(300);
  });

  it('times out when the server does not answer', async () => {
    const outcome = await runHttpStep(
      httpStepOf(`${server.url}/hang`, { timeoutMs: 300 }),
      stepContext(),
      {},
    );

    expect(outcome).toMatchObject({ ok: false, timedOut: true, error: 'timed out after 300ms', output: [] });
    expect(outcome.httpStatus).toBeUndefined();
  });

  it('fails with the connection error when nothing listens', async () => {
    const port = await unusedPort();

    const outcome = await runHttpStep(httpStepOf(`http://127.0.0.1:${port}/deploy`), stepContext(), {});

    expect(outcome).toMatchObject({ ok: false, timedOut: false });
    expect(outcome.error).toMatch(/ECONNREFUSED/);
  });

  it('stops when its abort signal fires', async () => {
    const controller = new AbortController();

    const running = runHttpStep(httpStepOf(`${server.url}/hang`), stepContext(), {
      signal: controller.signal,
    });
    controller.abort();
    const outcome = await running;

    expect(outcome).toMatchObject({ ok: false, timedOut: false, error: 'cancelled' });
  });

  it('fails without sending anything when the url is not valid', async () => {
    const outcome = await runHttpStep(httpStepOf('deployer/$SERVICE'), stepContext(), {});

    expect(outcome).toMatchObject({
      ok: false,
      error: 'the url is not a valid URL once its $NAMEs are replaced',
    });
  });
});
