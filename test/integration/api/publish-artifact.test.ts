import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiBot, artifact, freshDigest, startApiBot } from './api-bot.js';

let api: ApiBot;

beforeAll(async () => {
  api = await startApiBot();
});

afterAll(async () => {
  await api?.stop();
});

describe('POST /api/artifacts', () => {
  it('answers 202 with the id and status of a new promotion', async () => {
    const response = await api.bot.api('POST', '/api/artifacts', {
      ...artifact('1.0.0'),
      commit: 'abc1234',
      url: 'https://ci.example.com/builds/1',
      notes: 'first build',
    });

    expect(response.status).toBe(202);
    expect(response.body).toEqual({ id: expect.stringMatching(/^[A-Za-z0-9_-]{4,64}$/), status: 'running' });
    const stored = await api.bot.api('GET', `/api/promotions/${response.body.id}`);
    expect(stored.body).toMatchObject({
      service: 'checkout',
      version: '1.0.0',
      commit: 'abc1234',
      url: 'https://ci.example.com/builds/1',
      notes: 'first build',
    });
  });

  it('answers 200 with the same id when the identical artifact is published again', async () => {
    const published = artifact('1.1.0');
    const first = await api.bot.api('POST', '/api/artifacts', published);

    const again = await api.bot.api('POST', '/api/artifacts', published);

    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const listed = await api.bot.api('GET', '/api/promotions?service=checkout');
    const versions = listed.body.promotions.map((promotion: { version: string }) => promotion.version);
    expect(versions.filter((version: string) => version === '1.1.0')).toHaveLength(1);
  });

  it('answers 409 when the version was already published with another digest, saying versions are immutable', async () => {
    const first = await api.bot.api('POST', '/api/artifacts', artifact('1.2.0'));
    const other = freshDigest();

    const conflict = await api.bot.api('POST', '/api/artifacts', artifact('1.2.0', other));

    expect(conflict.status).toBe(409);
    expect(conflict.body.error).toContain('versions are immutable');
    expect(conflict.body.error).toContain(first.body.id);
    const stored = await api.bot.api('GET', `/api/promotions/${first.body.id}`);
    expect(stored.body.digest).not.toBe(other);
  });

  it('answers 404 for a service that is not in the pipeline file, listing the known services', async () => {
    const response = await api.bot.api('POST', '/api/artifacts', {
      ...artifact('1.0.0'),
      service: 'billing',
    });

    expect(response.status).toBe(404);
    expect(response.body.error).toContain('unknown service "billing"');
    expect(response.body.error).toContain('checkout, payments');
    const listed = await api.bot.api('GET', '/api/promotions');
    expect(listed.body.promotions.some((p: { service: string }) => p.service === 'billing')).toBe(false);
  });
});
