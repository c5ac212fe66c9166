import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiBot, artifact, rawRequest, startApiBot } from './api-bot.js';

let api: ApiBot;
let first: string;

beforeAll(async () => {
  api = await startApiBot();
  const published = await api.bot.api('POST', '/api/artifacts', { ...artifact('1.0.0'), commit: 'abc1234' });
  first = published.body.id;
});

afterAll(async () => {
  await api?.stop();
});

describe('GET /api/promotions/:id', () => {
  it('returns the promotion with the fields of the contract', async () => {
    const response = await api.bot.api('GET', `/api/promotions/${first}`);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: first,
      service: 'checkout',
      version: '1.0.0',
      digest: expect.stringMatching(/^sha256:[a-f0-9]{64}$/),
      status: expect.any(String),
      environment: 'development',
      approvals: [],
    });
    expect(response.body.stages.map((stage: { environment: string }) => stage.environment)).toEqual([
      'development',
      'production',
    ]);
    expect(response.body.events[0]).toMatchObject({ type: 'published', by: 'api' });
  });

  it('answers 404 for an id that was never issued', async () => {
    const response = await api.bot.api('GET', '/api/promotions/nosuchpromotion');

    expect(response.status).toBe(404);
    expect(response.body.error).toBe('no promotion nosuchpromotion');
  });

  it.each(['..%2F..%2Fetc', '..%2F..%2Fetc%2Fpasswd', 'abc.def', 'a%20b', 'ab'])(
    'answers 400 for the id %s',
    async (id) => {
      const response = await api.bot.api('GET', `/api/promotions/${id}`);

      expect(response.status).toBe(400);
      expect(response.body.issues).toEqual([{ path: 'id', message: expect.any(String) }]);
    },
  );

  it('requires the token under a percent-encoded path too', async () => {
    const response = await rawRequest(`${api.bot.url}/%61pi/promotions/${first}`);

    expect(response.status).toBe(401);
  });

  it('requires the token', async () => {
    const response = await api.bot.api('GET', `/api/promotions/${first}`, undefined, {
      authorization: 'Bearer wrong-token-0123456789',
    });

    expect(response.status).toBe(401);
  });
});

describe('GET /api/promotions/:id/events', () => {
  it('returns the audit trail, oldest first', async () => {
    const response = await api.bot.api('GET', `/api/promotions/${first}/events`);

    expect(response.status).toBe(200);
    expect(response.body.events[0]).toMatchObject({ type: 'published', by: 'api', status: 'running' });
    expect(response.body.events[0].detail).toMatchObject({ service: 'checkout', version: '1.0.0' });
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    const unknown = await api.bot.api('GET', '/api/promotions/nosuchpromotion/events');
    const malformed = await api.bot.api('GET', '/api/promotions/..%2Fsecrets/events');

    expect(unknown.status).toBe(404);
    expect(malformed.status).toBe(400);
  });
});

describe('GET /api/promotions?service=S', () => {
  it('lists the promotions of the service, newest first', async () => {
    for (const version of ['2.0.0', '2.0.1', '2.0.2']) {
      const published = await api.bot.api('POST', '/api/artifacts', {
        ...artifact(version),
        service: 'payments',
      });
      expect(published.status).toBe(202);
    }

    const response = await api.bot.api('GET', '/api/promotions?service=payments');

    expect(response.status).toBe(200);
    expect(response.body.promotions.map((p: { version: string }) => p.version)).toEqual([
      '2.0.2',
      '2.0.1',
      '2.0.0',
    ]);
    expect(response.body.promotions[0]).toMatchObject({ service: 'payments', stages: expect.any(Array) });
  });

  it('requires the token, whether or not the path is percent-encoded', async () => {
    const plain = await rawRequest(`${api.bot.url}/api/promotions?service=checkout`);
    const encoded = await rawRequest(`${api.bot.url}/%61pi/promotions?service=checkout`);

    expect(plain.status).toBe(401);
    expect(encoded.status).toBe(401);
  });

  it('takes a limit', async () => {
    const response = await api.bot.api('GET', '/api/promotions?service=payments&limit=1');

    expect(response.body.promotions).toHaveLength(1);
  });

  it('answers 404 for a service that is not in the pipeline file', async () => {
    const response = await api.bot.api('GET', '/api/promotions?service=billing');

    expect(response.status).toBe(404);
    expect(response.body.error).toBe('unknown service "billing" (known: checkout, payments)');
  });

  it.each(['Checkout', '../checkout', 'check out', '*'])(
    'answers 400 for the service %j',
    async (service) => {
      const response = await api.bot.api('GET', `/api/promotions?service=${encodeURIComponent(service)}`);

      expect(response.status).toBe(400);
      expect(response.body.issues[0]).toMatchObject({ path: 'service' });
    },
  );

  it('answers 400 for a limit that is not a whole number from 1 to 200', async () => {
    const response = await api.bot.api('GET', '/api/promotions?service=payments&limit=0');

    expect(response.status).toBe(400);
    expect(response.body.issues[0]).toMatchObject({ path: 'limit' });
  });
});
