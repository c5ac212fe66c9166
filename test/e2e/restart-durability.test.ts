import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakePrometheus, startFakePrometheus } from '../support/fake-prometheus.js';
import { uniquePrefix } from '../support/redis.js';
import { nextDigest, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';
import { createWorkspace, testPipeline, type Workspace } from '../support/workspace.js';

// Approval expiry and holds are data in Redis (the expiry a delayed job), not timers in a process: a bot that
// stops and a new one that starts later keep them.

let prometheus: FakePrometheus;
let workspace: Workspace;
let pipelineFile: string;
const prefix = uniquePrefix('restart');
let bot: TestBot | undefined;

beforeAll(async () => {
  prometheus = await startFakePrometheus();
  workspace = await createWorkspace();
  pipelineFile = await workspace.writePipeline(
    testPipeline({ prometheusUrl: prometheus.url, expiresAfter: '2s' }),
  );
});

afterAll(async () => {
  await bot?.shutdown();
  await prometheus.close();
  await workspace.remove();
});

async function status(id: string): Promise<string | undefined> {
  return (await bot?.api('GET', `/api/promotions/${id}`))?.body.status;
}

describe('a bot restarted while a promotion waits at the gate', () => {
  it('still expires the approval request on time, and still honours (and lifts) a hold placed before a restart', async () => {
    bot = await startTestBot({ pipelineFile, prefix });
    expect(
      await bot.commands.hold('checkout', 'staging', 'frozen before the restart', { user: 'U0ALICE' }),
    ).toMatchObject({ ok: true });
    const blocked = (
      await bot.api('POST', '/api/artifacts', { service: 'checkout', version: '7.0.0', digest: nextDigest() })
    ).body.id;
    await waitFor(
      'the promotion to stop at the staging hold',
      async () => (await status(blocked)) === 'held',
    );
    expect(await bot.commands.unhold('checkout', 'staging', { user: 'U0ALICE' })).toMatchObject({ ok: true });
    await waitFor('the gate', async () => (await status(blocked)) === 'awaiting_approval');

    await bot.shutdown();
    bot = await startTestBot({ pipelineFile, prefix });

    const expired = await waitFor('the approval to expire after the restart', async () => {
      const body = (await bot?.api('GET', `/api/promotions/${blocked}`))?.body;
      return body?.phase.kind === 'approval_expired' ? body : undefined;
    });
    expect(expired.status).toBe('held');
    expect(
      await bot.commands.hold('checkout', 'production', 'frozen before the restart', {
        user: 'U0ALICE',
        forMs: 3000,
      }),
    ).toMatchObject({ ok: true });

    await bot.shutdown();
    bot = await startTestBot({ pipelineFile, prefix });

    // Asked again while production is held: stopped before the gate, by the hold from before the restart.
    expect(await bot.commands.promote('checkout', '7.0.0', { user: 'U0ALICE' })).toMatchObject({ ok: true });
    const held = await bot.api('GET', `/api/promotions/${blocked}`);
    expect(held.body.phase).toMatchObject({ kind: 'blocked', hold: { reason: 'frozen before the restart' } });
    // The hold lifts itself after the restart, and the gate is asked then.
    await waitFor('the hold to lift itself', async () => (await status(blocked)) === 'awaiting_approval');
    expect(await bot.commands.decide(blocked, 'approve', { user: 'U0CAROL' })).toMatchObject({ ok: true });
  });
});
