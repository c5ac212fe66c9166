import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakePrometheus, startFakePrometheus } from '../support/fake-prometheus.js';
import { publishArtifact, waitForStatus } from '../support/promotion-api.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';
import { createWorkspace, type PipelineOptions, testPipeline, type Workspace } from '../support/workspace.js';

// `/promote` and the approval gate's expiry, through the functions the Slack listeners call, with real steps.

let prometheus: FakePrometheus;
let workspace: Workspace | undefined;
let bot: TestBot | undefined;

beforeAll(async () => {
  prometheus = await startFakePrometheus();
});

afterAll(async () => {
  await prometheus?.close();
});

afterEach(async () => {
  await bot?.shutdown();
  await workspace?.remove();
  bot = undefined;
  workspace = undefined;
});

async function startWith(options: Partial<PipelineOptions>): Promise<TestBot> {
  workspace = await createWorkspace();
  const file = await workspace.writePipeline(testPipeline({ prometheusUrl: prometheus.url, ...options }));
  bot = await startTestBot({ pipelineFile: file });
  return bot;
}

function publish(running: TestBot, version: string): Promise<string> {
  return publishArtifact(running.api, { version });
}

function statusOf(running: TestBot, id: string, status: string) {
  return waitForStatus(running.api, id, status);
}

describe('a promotion that passes an environment whose promote is manual', () => {
  it('waits after staging and is moved to the production gate by an owner', async () => {
    const running = await startWith({ stagingPromote: 'manual' });
    const id = await publish(running, '5.0.0');
    const waiting = await statusOf(running, id, 'waiting');
    expect(waiting.environment).toBe('staging');
    expect(waiting.stages.map((stage: { status: string }) => stage.status)).toEqual([
      'passed',
      'passed',
      'pending',
    ]);
    const deploys = (await workspace?.lines('deploys.log')) ?? [];
    expect(deploys.some((line) => line.startsWith('production'))).toBe(false);

    const result = await running.commands.promote('checkout', '5.0.0', { user: 'U0ALICE' });

    expect(result).toMatchObject({
      ok: true,
      message: 'asked for approval of checkout 5.0.0 for production',
    });
    const gated = await statusOf(running, id, 'awaiting_approval');
    expect(gated.environment).toBe('production');
    expect(gated.events.map((event: { type: string }) => event.type)).toContain('promoteRequested');
  });

  it('refuses to skip ahead, to an environment that does not exist, or for someone who is not an owner', async () => {
    const running = await startWith({ stagingPromote: 'manual' });
    const id = await publish(running, '5.1.0');
    await statusOf(running, id, 'waiting');

    const backwards = await running.commands.promote('checkout', '5.1.0', {
      user: 'U0ALICE',
      to: 'development',
    });
    const nowhere = await running.commands.promote('checkout', '5.1.0', { user: 'U0ALICE', to: 'qa' });
    const stranger = await running.commands.promote('checkout', '5.1.0', { user: 'U0MALLORY' });

    expect(backwards).toEqual({
      ok: false,
      reason:
        '5.1.0 goes to production next; environments are promoted in order (development -> staging -> production)',
    });
    expect(nowhere).toEqual({
      ok: false,
      reason: 'checkout has no environment "qa" (environments: development, staging, production)',
    });
    expect(stranger).toEqual({ ok: false, reason: 'only the owners of checkout may do that' });
    const still = await running.api('GET', `/api/promotions/${id}`);
    expect(still.body.status).toBe('waiting');
  });

  it('refuses a version that was never published, listing the latest versions', async () => {
    const running = await startWith({ stagingPromote: 'manual' });
    const id = await publish(running, '5.2.0');
    await statusOf(running, id, 'waiting');

    const result = await running.commands.promote('checkout', '9.9.9', { user: 'U0ALICE' });

    expect(result).toEqual({
      ok: false,
      reason: 'checkout has no published version "9.9.9" (latest: 5.2.0)',
    });
  });

  it('accepts `to` naming the next environment', async () => {
    const running = await startWith({ stagingPromote: 'manual' });
    const id = await publish(running, '5.3.0');
    await statusOf(running, id, 'waiting');

    const result = await running.commands.promote('checkout', '5.3.0', { user: 'U0ALICE', to: 'production' });

    expect(result).toMatchObject({ ok: true });
    await statusOf(running, id, 'awaiting_approval');
  });
});

describe('an approval request nobody answers', () => {
  it('expires into held, refuses a late approve, and a promote asks again so an approve releases it', async () => {
    const running = await startWith({ expiresAfter: '300ms' });
    const id = await publish(running, '6.0.0');
    await statusOf(running, id, 'awaiting_approval');

    const expired = await statusOf(running, id, 'held');
    expect(expired.phase).toMatchObject({ kind: 'approval_expired' });
    const late = await running.commands.decide(id, 'approve', { user: 'U0CAROL' });
    expect(late).toEqual({ ok: false, reason: 'this approval request has expired' });

    const again = await running.commands.promote('checkout', '6.0.0', { user: 'U0ALICE' });
    const approved = await running.commands.decide(id, 'approve', { user: 'U0CAROL' });

    expect(again).toMatchObject({
      ok: true,
      message: 'asked for approval of checkout 6.0.0 for production',
    });
    expect(approved).toMatchObject({ ok: true });
    const released = await statusOf(running, id, 'released');
    expect(released.approvals).toMatchObject([{ by: 'U0CAROL', decision: 'approve' }]);
  });
});
