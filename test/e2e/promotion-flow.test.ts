import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakePrometheus, startFakePrometheus } from '../support/fake-prometheus.js';
import { publishArtifact, waitForStatus } from '../support/promotion-api.js';
import { nextDigest, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';
import { createWorkspace, type PipelineOptions, testPipeline, type Workspace } from '../support/workspace.js';

// The flow of the seed chart, end to end: artifacts published over HTTP, real step processes, a real Redis,
// decisions through the functions the Slack layer calls.

let prometheus: FakePrometheus;
let workspace: Workspace;
let bot: TestBot;

beforeAll(async () => {
  prometheus = await startFakePrometheus();
});

afterAll(async () => {
  await prometheus.close();
});

async function startWith(options: Partial<PipelineOptions> = {}) {
  workspace = await createWorkspace();
  const file = await workspace.writePipeline(testPipeline({ prometheusUrl: prometheus.url, ...options }));
  bot = await startTestBot({ pipelineFile: file });
}

afterEach(async () => {
  await bot?.shutdown();
  await workspace?.remove();
});

function publish(version: string, digest = nextDigest()): Promise<string> {
  return publishArtifact(bot.api, { version, digest, commit: 'abc1234' });
}

function statusOf(id: string, status: string, timeoutMs?: number) {
  return waitForStatus(bot.api, id, status, timeoutMs);
}

async function approve(id: string, user = 'U0CAROL') {
  const result = await bot.commands.decide(id, 'approve', { user });
  expect(result).toMatchObject({ ok: true });
}

describe('an artifact published by CI', () => {
  beforeEach(async () => {
    await startWith();
  });

  it('is deployed and tested in development and staging, gated, rolled out by canary and released', async () => {
    const id = await publish('1.0.0');
    const gated = await statusOf(id, 'awaiting_approval');
    expect(gated.environment).toBe('production');
    expect(await workspace.lines('tests.log')).toEqual([
      'development 1.0.0 smoke',
      'staging 1.0.0 acceptance',
      'staging 1.0.0 load',
    ]);

    await approve(id);
    const released = await statusOf(id, 'released');

    expect(await workspace.lines('deploys.log')).toEqual([
      'development 1.0.0 weight=100 previous= color=',
      'staging 1.0.0 weight=100 previous= color=',
      'production 1.0.0 weight=10 previous= color=',
      'production 1.0.0 weight=50 previous= color=',
      'production 1.0.0 weight=100 previous= color=',
    ]);
    expect(released.stages.map((stage: { status: string }) => stage.status)).toEqual([
      'passed',
      'passed',
      'passed',
    ]);
    expect(released.approvals).toMatchObject([{ by: 'U0CAROL', decision: 'approve' }]);
    expect(prometheus.queries).toContain('sum(rate(http_errors_total{version="1.0.0"}[1m]))');
    const types = released.events.map((event: { type: string }) => event.type);
    expect(types[0]).toBe('published');
    expect(types).toContain('approvalDecided');
    expect(types).toContain('analysisCompleted');
    expect(types.at(-1)).toBe('stepSucceeded');

    const metrics = await fetch(`${bot.url}/metrics`).then((response) => response.text());
    expect(metrics).toContain(
      'promotion_bot_transitions_total{service="checkout",event="approvalDecided",status="running"} 1',
    );
    expect(metrics).toMatch(
      /promotion_bot_step_duration_seconds_count\{kind="deploy",environment="production",outcome="passed"\} 3/,
    );
    expect(metrics).toContain(
      'promotion_bot_promotions_finished_total{service="checkout",status="released"} 1',
    );
    expect(metrics).toMatch(
      /promotion_bot_gate_wait_seconds_count\{service="checkout",decision="approve"\} 1/,
    );
    expect(metrics).toMatch(/promotion_bot_queue_jobs\{queue="deploy",state="completed"\} \d+/);
  });

  it('fails in development when the smoke test fails, and nothing is deployed after it', async () => {
    await workspace.touch('fail-smoke-1.0.1');
    const id = await publish('1.0.1');

    const failed = await statusOf(id, 'failed');

    expect(failed.environment).toBe('development');
    expect(failed.stages[0].steps.at(-1)).toMatchObject({ name: 'smoke', status: 'failed', exitCode: 1 });
    expect(failed.stages[0].steps.at(-1).output).toContain('smoke: 3 of 12 checks failed');
    expect(await workspace.lines('deploys.log')).toEqual(['development 1.0.1 weight=100 previous= color=']);
  });

  it('fails in staging when the load test fails, and never reaches the production gate', async () => {
    await workspace.touch('fail-load-1.0.2');
    const id = await publish('1.0.2');

    const failed = await statusOf(id, 'failed');

    expect(failed.environment).toBe('staging');
    expect(failed.stages.map((stage: { status: string }) => stage.status)).toEqual([
      'passed',
      'failed',
      'pending',
    ]);
    expect((await workspace.lines('deploys.log')).some((line) => line.startsWith('production'))).toBe(false);
  });

  it('holds the release when an approver rejects it', async () => {
    const id = await publish('1.0.3');
    await statusOf(id, 'awaiting_approval');

    const result = await bot.commands.decide(id, 'reject', { user: 'U0DAVE', reason: 'payments freeze' });

    expect(result).toMatchObject({ ok: true });
    const held = await statusOf(id, 'held');
    expect(held.approvals).toMatchObject([{ by: 'U0DAVE', decision: 'reject', reason: 'payments freeze' }]);
    expect((await workspace.lines('deploys.log')).some((line) => line.startsWith('production'))).toBe(false);
  });

  it('stops at a hold on production before the gate, and asks for approval only when the hold is lifted', async () => {
    expect(
      await bot.commands.hold('checkout', 'production', 'quarter-end freeze', { user: 'U0ALICE' }),
    ).toMatchObject({ ok: true });
    const id = await publish('1.0.4');

    const held = await statusOf(id, 'held');
    expect(held.phase).toMatchObject({
      kind: 'blocked',
      environment: 2,
      hold: { reason: 'quarter-end freeze', by: 'U0ALICE' },
    });
    expect(await bot.commands.decide(id, 'approve', { user: 'U0CAROL' })).toMatchObject({ ok: false });

    expect(await bot.commands.unhold('checkout', 'production', { user: 'U0ALICE' })).toMatchObject({
      ok: true,
    });
    await statusOf(id, 'awaiting_approval');
    await approve(id);
    await statusOf(id, 'released');
  });

  it('closes an open gate when production is put on hold: the approval is asked again after the hold', async () => {
    const id = await publish('1.0.6');
    await statusOf(id, 'awaiting_approval');

    await bot.commands.hold('checkout', 'production', 'incident 42', { user: 'U0ALICE' });

    const held = await statusOf(id, 'held');
    expect(held.phase).toMatchObject({ kind: 'blocked', environment: 2, hold: { reason: 'incident 42' } });
    expect(await bot.commands.decide(id, 'approve', { user: 'U0CAROL' })).toMatchObject({ ok: false });
    await bot.commands.unhold('checkout', 'production', { user: 'U0ALICE' });
    const asked = await statusOf(id, 'awaiting_approval');
    expect(asked.approvals).toEqual([]);
    await approve(id);
    await statusOf(id, 'released');
  });

  it('refuses holds from people who do not own the service', async () => {
    const result = await bot.commands.hold('checkout', 'production', 'nope', { user: 'U0MALLORY' });
    expect(result).toEqual({ ok: false, reason: 'only the owners of checkout may do that' });
  });

  it('deploys exactly once to production when two approvers approve at the same moment', async () => {
    const id = await publish('1.0.5');
    await statusOf(id, 'awaiting_approval');

    const results = await Promise.all([
      bot.commands.decide(id, 'approve', { user: 'U0CAROL' }),
      bot.commands.decide(id, 'approve', { user: 'U0DAVE' }),
    ]);

    expect(results.filter((result) => result.ok)).toHaveLength(1);
    await statusOf(id, 'released');
    const production = (await workspace.lines('deploys.log')).filter((line) => line.startsWith('production'));
    expect(production).toEqual([
      'production 1.0.5 weight=10 previous= color=',
      'production 1.0.5 weight=50 previous= color=',
      'production 1.0.5 weight=100 previous= color=',
    ]);
  });
});

describe('a version that breaches its metric thresholds in production', () => {
  beforeEach(async () => {
    await startWith();
  });

  it('is rolled back to the previous version, and a fixed version goes to the gate as usual', async () => {
    const good = await publish('2.0.0');
    await statusOf(good, 'awaiting_approval');
    await approve(good);
    await statusOf(good, 'released');

    prometheus.set('2.1.0', 0.2);
    const bad = await publish('2.1.0');
    await statusOf(bad, 'awaiting_approval');
    await approve(bad);
    const rolledBack = await statusOf(bad, 'rolled_back');

    expect(await workspace.lines('rollbacks.log')).toEqual(['rollback 2.1.0 -> 2.0.0']);
    expect(rolledBack.phase.cause).toMatchObject({ kind: 'metric-breach', checks: 2 });
    expect(rolledBack.phase.cause.measurements).toMatchObject([
      { metric: 'error-rate', value: 0.2, max: 0.01, verdict: 'breach' },
    ]);
    const production = (await workspace.lines('deploys.log')).filter((line) =>
      line.startsWith('production 2.1.0'),
    );
    expect(production).toEqual(['production 2.1.0 weight=10 previous=2.0.0 color=']);

    // Production is not held: the fix needs only the approval every release needs.
    const next = await publish('2.1.1');
    await statusOf(next, 'awaiting_approval');
    await approve(next);
    await statusOf(next, 'released');
  });

  it('keeps the rolled-back digest out of production until an approver forces it back', async () => {
    const good = await publish('2.2.0');
    await statusOf(good, 'awaiting_approval');
    await approve(good);
    await statusOf(good, 'released');
    prometheus.set('2.3.0', 0.2);
    const badDigest = nextDigest();
    const bad = await publish('2.3.0', badDigest);
    await statusOf(bad, 'awaiting_approval');
    await approve(bad);
    await statusOf(bad, 'rolled_back');

    // The same image re-tagged as another version is refused before production's gate: no one is asked.
    const retagged = await publish('2.3.1', badDigest);
    const quarantined = await statusOf(retagged, 'held');
    expect(quarantined.phase).toMatchObject({ kind: 'blocked', environment: 2 });
    expect(quarantined.phase.hold.reason).toContain('--force');

    expect(await bot.commands.promote('checkout', '2.3.0', { user: 'U0ALICE', force: true })).toEqual({
      ok: false,
      reason: 'only approvers of checkout production may force a promotion',
    });
    prometheus.set('2.3.0', 0);
    const forced = await bot.commands.promote('checkout', '2.3.0', { user: 'U0CAROL', force: true });
    expect(forced).toMatchObject({ ok: true });
    const again = forced.ok ? (forced.promotion?.id ?? '') : '';
    expect(again).not.toBe(bad);
    await statusOf(again, 'awaiting_approval');
    await approve(again, 'U0DAVE');
    const released = await statusOf(again, 'released');
    expect(released.digest).toBe(badDigest);
  });
});

describe('a newer version of the same service', () => {
  beforeEach(async () => {
    await startWith();
  });

  it('supersedes an older one that has not reached production, after its running step finishes', async () => {
    await workspace.touch('slow-deploy-staging-3.0.0');
    const old = await publish('3.0.0');
    await waitFor(
      'the staging deploy of 3.0.0 to start',
      async () => (await workspace.lines('deploys.log')).length >= 2,
    );

    const newer = await publish('3.0.1');
    const superseded = await statusOf(old, 'superseded');
    expect(superseded.phase).toMatchObject({ kind: 'superseded', by: '3.0.1', draining: 1 });

    await workspace.touch('release-staging-3.0.0');
    await statusOf(newer, 'awaiting_approval');
    const staging = (await workspace.lines('deploys.log')).filter((line) => line.startsWith('staging'));
    expect(staging).toEqual([
      'staging 3.0.0 weight=100 previous= color=',
      'staging 3.0.1 weight=100 previous=3.0.0 color=',
    ]);
  });
});

describe('a retryable step', () => {
  beforeEach(async () => {
    await startWith({ retries: 2 });
  });

  it('is run again after a failure, and the promotion carries on when a retry passes', async () => {
    await workspace.touch('flaky-deploy-development-5.0.0');
    const id = await publish('5.0.0');

    await statusOf(id, 'awaiting_approval');

    const development = (await workspace.lines('deploys.log')).filter((line) =>
      line.startsWith('development'),
    );
    expect(development).toHaveLength(2);
  });

  it('fails the promotion once its retries are used up', async () => {
    await workspace.touch('fail-deploy-development-5.0.1');
    const id = await publish('5.0.1');

    const failed = await statusOf(id, 'failed');

    expect(failed.stages[0].steps).toMatchObject([{ name: 'deploy', status: 'failed', exitCode: 3 }]);
    expect(
      (await workspace.lines('deploys.log')).filter((line) => line.startsWith('development')),
    ).toHaveLength(3);
  });
});

describe('a blue-green production rollout', () => {
  beforeEach(async () => {
    await startWith({ strategy: 'blue-green' });
  });

  it('deploys the idle colour without traffic, analyses it, switches, and alternates colours release by release', async () => {
    const first = await publish('6.0.0');
    await statusOf(first, 'awaiting_approval');
    await approve(first);
    await statusOf(first, 'released');
    const second = await publish('6.1.0');
    await statusOf(second, 'awaiting_approval');
    await approve(second);
    await statusOf(second, 'released');

    const production = (await workspace.lines('deploys.log')).filter((line) => line.startsWith('production'));
    expect(production).toEqual([
      'production 6.0.0 weight=0 previous= color=blue',
      'production 6.0.0 weight=100 previous= color=blue',
      'production 6.1.0 weight=0 previous=6.0.0 color=green',
      'production 6.1.0 weight=100 previous=6.0.0 color=green',
    ]);
  });
});
