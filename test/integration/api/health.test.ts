import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiBot, rawRequest, startApiBot } from './api-bot.js';

let api: ApiBot;

beforeAll(async () => {
  api = await startApiBot();
});

afterAll(async () => {
  await api?.stop();
});

describe('the operational endpoints', () => {
  it('answers /healthz with 200 and no token', async () => {
    const response = await rawRequest(`${api.bot.url}/healthz`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 200 and the checks of Redis and the pipeline', async () => {
    const response = await rawRequest(`${api.bot.url}/readyz`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ready', checks: { redis: 'ok', pipeline: '2 services' } });
  });

  it('serves Prometheus text on /metrics, with the process metrics', async () => {
    const response = await rawRequest(`${api.bot.url}/metrics`);

    expect(response.status).toBe(200);
    expect(response.contentType).toContain('text/plain; version=0.0.4');
    expect(response.text).toMatch(/^# HELP process_cpu_user_seconds_total /m);
    expect(response.text).toMatch(/^process_resident_memory_bytes \d+/m);
  });
});
