import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBot } from '../../support/test-bot.js';
import { createWorkspace } from '../../support/workspace.js';
import { type ApiBot, artifact, freshDigest, startApiBot } from './api-bot.js';

// `POST /api/artifacts` with `dryRun: true`: the plan, and nothing created.

let api: ApiBot;

beforeAll(async () => {
  api = await startApiBot();
});

afterAll(async () => {
  await api?.stop();
});

async function versionsOf(service: string): Promise<string[]> {
  const listed = await api.bot.api('GET', `/api/promotions?service=${service}`);
  return listed.body.promotions.map((promotion: { version: string }) => promotion.version);
}

describe('POST /api/artifacts with dryRun', () => {
  it('answers 200 with the plan of each environment, and creates nothing', async () => {
    const planned = artifact('5.0.0');

    const response = await api.bot.api('POST', '/api/artifacts', { ...planned, dryRun: true });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      dryRun: true,
      plan: {
        service: 'checkout',
        version: '5.0.0',
        digest: planned.digest,
        at: expect.any(String),
        outcome: { kind: 'new' },
        environments: [
          {
            name: 'development',
            production: false,
            deploy: {
              kind: 'run',
              command: './deploy.sh',
              timeoutMs: 600_000,
              retries: 0,
              strategy: 'all-at-once',
            },
            tests: [],
            promote: 'auto',
            holds: [],
            freezes: { open: [], next: [] },
          },
          expect.objectContaining({
            name: 'production',
            production: true,
            gate: {
              approvers: ['U0CAROL'],
              required: 1,
              allowSelfApproval: false,
              expiresAfterMs: expect.any(Number),
            },
            rollout: {
              steps: [{ weight: 100, analysisMs: expect.any(Number), label: 'deploy' }],
              expectedMs: expect.any(Number),
            },
            rollback: { kind: 'redeploy-previous' },
            holds: [],
          }),
        ],
      },
    });
    expect(await versionsOf('checkout')).not.toContain('5.0.0');
    // The version is still free: a real publish of another digest is not refused as a conflict.
    const published = await api.bot.api('POST', '/api/artifacts', artifact('5.0.0'));
    expect(published.status).toBe(202);
  });

  it('says an identical artifact is already published, naming its promotion, and one with another digest would be refused', async () => {
    const published = artifact('5.1.0');
    const first = await api.bot.api('POST', '/api/artifacts', published);

    const again = await api.bot.api('POST', '/api/artifacts', { ...published, dryRun: true });
    const other = await api.bot.api('POST', '/api/artifacts', {
      ...artifact('5.1.0', freshDigest()),
      dryRun: true,
    });

    expect(again.status).toBe(200);
    expect(again.body.plan.outcome).toEqual({
      kind: 'existing',
      promotionId: first.body.id,
      status: first.body.status,
      environment: 'development',
      where: expect.any(String),
    });
    expect(other.status).toBe(200);
    expect(other.body.plan.outcome).toMatchObject({ kind: 'conflict', promotionId: first.body.id });
    expect(other.body.plan.outcome.message).toContain('versions are immutable');
    expect((await versionsOf('checkout')).filter((version) => version === '5.1.0')).toHaveLength(1);
  });

  it('answers 404 for an unknown service and 400 for a dryRun that is not a boolean, as a publish would', async () => {
    const unknown = await api.bot.api('POST', '/api/artifacts', {
      ...artifact('5.2.0'),
      service: 'billing',
      dryRun: true,
    });
    const bad = await api.bot.api('POST', '/api/artifacts', { ...artifact('5.2.0'), dryRun: 'yes' });
    const badDigest = await api.bot.api('POST', '/api/artifacts', {
      ...artifact('5.2.0', 'sha256:nope'),
      dryRun: true,
    });

    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('unknown service "billing" (known: checkout, payments)');
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual([{ path: 'dryRun', message: 'dryRun must be true or false' }]);
    expect(badDigest.status).toBe(400);
    expect(await versionsOf('checkout')).not.toContain('5.2.0');
  });

  it('publishes as usual with dryRun false', async () => {
    const response = await api.bot.api('POST', '/api/artifacts', { ...artifact('5.3.0'), dryRun: false });

    expect(response.status).toBe(202);
    expect(await versionsOf('checkout')).toContain('5.3.0');
  });
});

describe('a dry run of a pipeline whose http step carries credentials', () => {
  const PASSWORD = 'hunter2@vault';
  const TOKEN = 't0ps3cret';
  const PIPELINE = `services:
  checkout:
    channel: C0DEPLOYS
    owners: [U0ALICE]
    environments:
      - name: production
        approval: { approvers: [U0CAROL] }
        deploy:
          http:
            url: "https://deployer:${PASSWORD}@deploy.internal/hook?token=${TOKEN}"
            method: POST
            headers: { Authorization: "Bearer ${TOKEN}" }
`;

  it('shows the step as method, host and path: no part of a password that holds an "@", no query, no header', async () => {
    const workspace = await createWorkspace();
    const bot = await startTestBot({ pipelineFile: await workspace.writePipeline(PIPELINE), role: 'web' });
    try {
      const response = await bot.api('POST', '/api/artifacts', { ...artifact('6.0.0'), dryRun: true });

      expect(response.status).toBe(200);
      expect(response.body.plan.environments[0].deploy).toMatchObject({
        kind: 'http',
        method: 'POST',
        url: 'https://deploy.internal/hook',
      });
      const text = JSON.stringify(response.body);
      for (const secret of ['hunter2', 'vault@', TOKEN, 'deployer']) expect(text).not.toContain(secret);
    } finally {
      await bot.shutdown();
      await workspace.remove();
    }
  });
});
