import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactBody } from '../../../src/http/schemas.js';
import { type ApiBot, startApiBot } from './api-bot.js';

// Whatever CI (or anyone holding the token) sends: never a crash, never a 5xx, every rejection says why.

const HEX = '0123456789abcdef';
const digest = fc
  .array(fc.constantFrom(...HEX), { minLength: 64, maxLength: 64 })
  .map((chars) => `sha256:${chars.join('')}`);
const nearlyValid = fc.record(
  {
    service: fc.oneof(fc.constantFrom('checkout', 'payments', 'nope'), fc.string()),
    version: fc.oneof(
      fc.stringMatching(/^[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,3}$/),
      fc.string({ maxLength: 200 }),
    ),
    digest: fc.oneof(digest, fc.string()),
    commit: fc.oneof(fc.stringMatching(/^[0-9a-f]{7,40}$/), fc.string()),
    url: fc.oneof(fc.webUrl(), fc.string()),
    notes: fc.string({ maxLength: 5000 }),
  },
  { requiredKeys: [] },
);
const anyBody = fc.oneof(nearlyValid, fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue()));

describe('the artifact body schema', () => {
  it('never throws, and every rejection names a path and a message', () => {
    fc.assert(
      fc.property(anyBody, (body) => {
        const parsed = ArtifactBody.safeParse(body);
        if (parsed.success) return;
        expect(parsed.error.issues.length).toBeGreaterThan(0);
        for (const issue of parsed.error.issues) expect(issue.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});

describe('POST /api/artifacts with arbitrary bodies', () => {
  let api: ApiBot;
  beforeAll(async () => {
    api = await startApiBot();
  });
  afterAll(async () => {
    await api.stop();
  });

  it('answers every body with a 2xx or a 4xx that explains itself, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(anyBody, async (body) => {
        const response = await api.bot.api('POST', '/api/artifacts', JSON.stringify(body), {
          'content-type': 'application/json',
        });
        expect(response.status).toBeLessThan(500);
        expect([200, 202, 400, 404, 409]).toContain(response.status);
        if (response.status >= 400) expect(String(response.body.error ?? '')).not.toBe('');
        if (response.status === 400) expect(response.body.issues.length).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });
});
