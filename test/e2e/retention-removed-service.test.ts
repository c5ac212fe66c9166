import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeys } from '../../src/store/keys.js';
import { connectTestRedis, uniquePrefix } from '../support/redis.js';
import { API_TOKEN, nextDigest, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';
import { createWorkspace, testPipeline, type Workspace } from '../support/workspace.js';

// A service taken out of the pipeline file: a bot started on the same Redis with the new file still removes the
// service's finished promotions after RETENTION, keeps its version -> digest records, and still exports its audit
// trail (until AUDIT_RETENTION), by its name too.

const prefix = uniquePrefix('removed-service');
const keys = createKeys(prefix);
const redis = connectTestRedis();
let workspace: Workspace;
let before: TestBot | undefined;
let after: TestBot | undefined;
let failed: { id: string; version: string };

beforeAll(async () => {
  workspace = await createWorkspace();
  const withCheckout = testPipeline({ prometheusUrl: 'http://127.0.0.1:9' });
  before = await startTestBot({
    pipelineFile: await workspace.writePipeline(withCheckout),
    prefix,
    env: { RETENTION: '1h' },
    retentionEveryMs: 100,
  });
  await workspace.touch('fail-deploy-development-1.0.0');
  const response = await before.api('POST', '/api/artifacts', {
    service: 'checkout',
    version: '1.0.0',
    digest: nextDigest(),
  });
  expect(response.status).toBe(202);
  failed = { id: response.body.id, version: '1.0.0' };
  await waitFor('the promotion to fail', async () =>
    (await before?.api('GET', `/api/promotions/${failed.id}`))?.body.status === 'failed' ? true : undefined,
  );
  await before.shutdown();
  before = undefined;
  // The same file with checkout renamed: checkout is no longer in the pipeline.
  after = await startTestBot({
    pipelineFile: await workspace.writePipeline(withCheckout.replace('checkout:', 'payments:')),
    prefix,
    env: { RETENTION: '1s' },
    retentionEveryMs: 100,
  });
});

afterAll(async () => {
  await before?.shutdown();
  await after?.shutdown();
  await workspace?.remove();
  await redis.quit();
});

describe('a service removed from the pipeline', () => {
  it('has its finished promotions removed after RETENTION, and keeps its version records', async () => {
    await waitFor('the removed service’s promotion to go', async () =>
      (await redis.exists(keys.promotion('checkout', failed.id))) === 0 ? true : undefined,
    );

    // The id -> service index lives in another slot: the pass deletes it right after, in a second step.
    await waitFor('the removed promotion’s id index to go', async () =>
      (await redis.exists(keys.promotionService(failed.id))) === 0 ? true : undefined,
    );
    expect(await redis.exists(keys.artifact('checkout', failed.version))).toBe(1);
  });

  it('keeps its audit trail in the export, by its name too', async () => {
    const read = async (query: string) => {
      const response = await fetch(`${after?.url}/api/audit${query}`, {
        headers: { authorization: `Bearer ${API_TOKEN}` },
      });
      return { status: response.status, lines: (await response.text()).split('\n').filter(Boolean) };
    };

    const all = await read('');
    const own = await read('?service=checkout');

    expect(own.status).toBe(200);
    expect(own.lines.length).toBeGreaterThan(0);
    expect(own.lines.every((line) => JSON.parse(line).promotionId === failed.id)).toBe(true);
    expect(all.lines).toEqual(own.lines);
  });
});
