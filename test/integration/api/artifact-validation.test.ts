import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TOKEN, type ApiBot, artifact, rawRequest, startApiBot } from './api-bot.js';

// Every request here is rejected; none of them may leave a promotion behind.

let api: ApiBot;

beforeAll(async () => {
  api = await startApiBot();
});

afterAll(async () => {
  await api?.stop();
});

async function expectNothingCreated() {
  const listed = await api.bot.api('GET', '/api/promotions?service=checkout');
  expect(listed.status).toBe(200);
  expect(listed.body.promotions).toEqual([]);
}

function post(body: string, headers: Record<string, string>, path = '/api/artifacts') {
  return rawRequest(`${api.bot.url}${path}`, { method: 'POST', headers, body });
}

const authorized = { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' };

describe('POST /api/artifacts with a bad field', () => {
  const good = artifact('1.0.0');
  const { service: _service, ...withoutService } = good;
  const cases: { what: string; body: unknown; path: string }[] = [
    { what: 'a missing service', body: withoutService, path: 'service' },
    { what: 'a digest that is not sha256 hex', body: { ...good, digest: 'sha256:xyz' }, path: 'digest' },
    { what: 'an upper-case digest', body: { ...good, digest: `sha256:${'A'.repeat(64)}` }, path: 'digest' },
    { what: 'a version with a shell command', body: { ...good, version: '1.0;rm -rf /' }, path: 'version' },
    { what: 'a version with a command substitution', body: { ...good, version: '$(id)' }, path: 'version' },
    { what: 'a version with PromQL', body: { ...good, version: '"} or vector(1)' }, path: 'version' },
    { what: 'a service with a path in it', body: { ...good, service: '../checkout' }, path: 'service' },
    { what: 'a commit that is not hex', body: { ...good, commit: 'main; echo' }, path: 'commit' },
    { what: 'a url that is not http(s)', body: { ...good, url: 'javascript:alert(1)' }, path: 'url' },
    { what: 'an unknown extra key', body: { ...good, extra: 'x' }, path: '(body)' },
    { what: 'a JSON array', body: [good], path: '(body)' },
    { what: 'a JSON string', body: 'checkout', path: '(body)' },
    { what: 'JSON null', body: null, path: '(body)' },
  ];

  it.each(cases)('answers 400 with the issues for $what, and creates nothing', async ({ body, path }) => {
    const response = await post(JSON.stringify(body), authorized);

    expect(response.status).toBe(400);
    expect(response.body.issues).toEqual(expect.arrayContaining([{ path, message: expect.any(String) }]));
    await expectNothingCreated();
  });

  it('names the unknown key in the issue', async () => {
    const response = await post(JSON.stringify({ ...good, extra: 'x' }), authorized);

    expect(response.body.issues[0].message).toContain('extra');
  });

  it('answers 400 with issues for malformed JSON, and creates nothing', async () => {
    const response = await post('{"service": "checkout", "version": ', authorized);

    expect(response.status).toBe(400);
    expect(response.body.issues).toEqual([{ path: '(body)', message: expect.any(String) }]);
    await expectNothingCreated();
  });
});

describe('POST /api/artifacts without a valid token', () => {
  const body = JSON.stringify(artifact('2.0.0'));
  const cases: { what: string; headers: Record<string, string> }[] = [
    { what: 'no Authorization header', headers: {} },
    { what: 'a wrong token', headers: { authorization: 'Bearer not-the-token-at-all' } },
    { what: 'a token with a different scheme', headers: { authorization: `Basic ${API_TOKEN}` } },
    { what: 'the bare token without a scheme', headers: { authorization: API_TOKEN } },
  ];

  it.each(cases)('answers 401 for $what, and creates nothing', async ({ headers }) => {
    const response = await post(body, { 'content-type': 'application/json', ...headers });

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.body.error).toContain('PROMOTION_API_TOKEN');
    await expectNothingCreated();
  });
});

describe('POST to the artifacts route under a percent-encoded path', () => {
  // Another service than the other cases use, so that a request let through cannot spoil their checks.
  it('still requires the token, and creates nothing', async () => {
    const body = JSON.stringify({ ...artifact('2.1.0'), service: 'payments' });

    const response = await post(body, { 'content-type': 'application/json' }, '/%61pi/artifacts');

    expect(response.status).toBe(401);
    const listed = await api.bot.api('GET', '/api/promotions?service=payments');
    expect(listed.body.promotions).toEqual([]);
  });
});

describe('POST /api/artifacts with a body the API does not take', () => {
  it('answers 413 for a body over 64 KiB, and creates nothing', async () => {
    const body = JSON.stringify({ ...artifact('3.0.0'), notes: 'x'.repeat(65 * 1024) });

    const response = await post(body, authorized);

    expect(response.status).toBe(413);
    expect(response.body.error).toContain('larger than 65536 bytes');
    await expectNothingCreated();
  });

  it.each(['application/x-www-form-urlencoded', 'text/plain', 'application/xml'])(
    'answers 415 for a body of type %s, and creates nothing',
    async (contentType) => {
      const response = await post(JSON.stringify(artifact('3.0.1')), {
        ...authorized,
        'content-type': contentType,
      });

      expect(response.status).toBe(415);
      await expectNothingCreated();
    },
  );
});
