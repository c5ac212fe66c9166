import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../../src/steps/run/process-group.js';
import { type FakePrometheus, startFakePrometheus } from '../../support/fake-prometheus.js';
import { type FakeSlack, startFakeSlack, TEST_CHANNELS } from '../../support/fake-slack/index.js';
import { countSteps, once, TEST_PIPELINE_STEPS } from '../../support/faults/audit.js';
import { createFleet, type Fleet, logged, logLines } from '../../support/faults/bot-fleet.js';
import { killStartedSteps, parentPid, startedPid } from '../../support/faults/step-processes.js';
import { promotionStatus, publishArtifact } from '../../support/promotion-api.js';
import { testRedisUrl, uniquePrefix } from '../../support/redis.js';
import { startTestBot, type TestBot } from '../../support/test-bot.js';
import { waitFor } from '../../support/wait-for.js';
import { createWorkspace, testPipeline, type Workspace } from '../../support/workspace.js';

// SIGTERM, as an orchestrator sends it before a rollout or a scale-down. A worker stops taking work, lets its
// running step finish when it can within JOB_LOCK_DURATION, or stops it and hands it back, and exits 0; another
// worker carries the promotion on. A web process exits 0.

const LOCK_MS = 3000;
/** After JOB_LOCK_DURATION a running step gets SIGTERM, then SIGKILL 2 s later; the rest of shutdown is quick. */
const STOP_BOUND_MS = LOCK_MS + 2000 + 2000;
const STOPPING = 'stopping: no new work; running steps may finish';

let prometheus: FakePrometheus;
let slack: FakeSlack;
let workspace: Workspace;
let fleet: Fleet;
let web: TestBot;

beforeAll(async () => {
  prometheus = await startFakePrometheus();
  slack = await startFakeSlack({ channels: TEST_CHANNELS, postsPerSecondPerChannel: 50 });
  workspace = await createWorkspace();
  const pipelineFile = await workspace.writePipeline(testPipeline({ prometheusUrl: prometheus.url }));
  const prefix = uniquePrefix('sigterm');
  web = await startTestBot({ pipelineFile, role: 'web', prefix });
  fleet = createFleet({
    redisUrl: testRedisUrl(),
    prefix,
    pipelineFile,
    env: { SLACK_API_URL: slack.apiUrl, JOB_LOCK_DURATION: `${LOCK_MS / 1000}s` },
  });
});

afterEach(async () => {
  await fleet?.stop();
  if (workspace) await killStartedSteps(workspace.dir);
});

afterAll(async () => {
  await web?.shutdown();
  await slack?.close();
  await prometheus?.close();
  await workspace?.remove();
});

function publish(version: string): Promise<string> {
  return publishArtifact(web.api, { version });
}

function status(id: string): Promise<string> {
  return promotionStatus(web.api, id);
}

/** Approves at the gate and waits for the release. */
async function release(id: string): Promise<void> {
  await waitFor('the gate', async () => (await status(id)) === 'awaiting_approval', 30_000);
  expect((await web.commands.decide(id, 'approve', { user: 'U0CAROL' })).ok).toBe(true);
  await waitFor('the release', async () => (await status(id)) === 'released', 30_000);
}

describe('SIGTERM', { timeout: 120_000 }, () => {
  it('lets a worker finish its running step, take no new work and exit 0, and another worker completes the promotion', async () => {
    const version = '7.0.0';
    await workspace.touch(`slow-deploy-development-${version}`);
    const first = await fleet.worker();
    const id = await publish(version);
    const deploy = await waitFor('the deploy to start', () =>
      startedPid(workspace.dir, `started-development-${version}`),
    );
    expect(await parentPid(deploy)).toBe(first.pid);

    const signalled = performance.now();
    first.child.kill('SIGTERM');
    await logged(first, STOPPING);
    await workspace.touch(`release-development-${version}`);
    expect(await first.exited).toBe(0);
    const stopMs = performance.now() - signalled;
    console.log(`worker stopped by SIGTERM after its step finished: ${Math.round(stopMs)} ms`);
    expect(stopMs).toBeLessThan(STOP_BOUND_MS);
    const log = logLines(first);
    expect(log.filter((line) => line.msg === 'step started')).toHaveLength(1);
    expect(log.filter((line) => line.msg === 'step finished').map((line) => line.ok)).toEqual([true]);

    await fleet.worker();
    await release(id);
    const deploys = await workspace.lines('deploys.log');
    expect(deploys.filter((line) => line.startsWith(`development ${version} `))).toHaveLength(1);
    const trail = await web.api('GET', `/api/promotions/${id}/events`);
    expect(countSteps(trail.body, 'stepSucceeded')).toEqual(once(TEST_PIPELINE_STEPS));
  });

  it('makes a worker whose step outlasts JOB_LOCK_DURATION stop the step, hand it back and exit 0, and another worker runs it and completes the promotion', async () => {
    const version = '7.1.0';
    await workspace.touch(`slow-deploy-development-${version}`);
    const first = await fleet.worker();
    const id = await publish(version);
    const deploy = await waitFor('the deploy to start', () =>
      startedPid(workspace.dir, `started-development-${version}`),
    );

    const signalled = performance.now();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const stopMs = performance.now() - signalled;
    console.log(`worker stopped by SIGTERM, handing its step back: ${Math.round(stopMs)} ms`);
    expect(stopMs).toBeLessThan(STOP_BOUND_MS);
    expect(isProcessAlive(deploy)).toBe(false);

    await fleet.worker();
    await waitFor(
      'the deploy to run again',
      async () => {
        const pid = await startedPid(workspace.dir, `started-development-${version}`);
        return pid !== undefined && pid !== deploy;
      },
      10_000,
    );
    await workspace.touch(`release-development-${version}`);
    await release(id);
    const deploys = await workspace.lines('deploys.log');
    expect(deploys.filter((line) => line.startsWith(`development ${version} `))).toHaveLength(2);
    expect(deploys.filter((line) => line.startsWith('CONCURRENT'))).toEqual([]);
    const trail = await web.api('GET', `/api/promotions/${id}/events`);
    expect(countSteps(trail.body, 'stepSucceeded')).toEqual(once(TEST_PIPELINE_STEPS));
  });

  it('makes a web process exit 0', async () => {
    const process = await fleet.web();

    const signalled = performance.now();
    process.child.kill('SIGTERM');
    expect(await process.exited).toBe(0);
    const stopMs = performance.now() - signalled;

    console.log(`web process stopped by SIGTERM: ${Math.round(stopMs)} ms`);
    expect(stopMs).toBeLessThan(5000);
  });
});
