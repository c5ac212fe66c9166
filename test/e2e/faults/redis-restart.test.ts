import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../../src/steps/run/process-group.js';
import { type FakePrometheus, startFakePrometheus } from '../../support/fake-prometheus.js';
import { type FakeSlack, startFakeSlack, TEST_CHANNELS } from '../../support/fake-slack/index.js';
import { readiness } from '../../support/faults/api-client.js';
import { countSteps, once, TEST_PIPELINE_STEPS } from '../../support/faults/audit.js';
import { createFleet, type Fleet } from '../../support/faults/bot-fleet.js';
import { type RestartableRedis, startRestartableRedis } from '../../support/faults/restartable-redis.js';
import { killStartedSteps, startedPid } from '../../support/faults/step-processes.js';
import { uniquePrefix } from '../../support/redis.js';
import { nextDigest, startTestBot, type TestBot } from '../../support/test-bot.js';
import { waitFor } from '../../support/wait-for.js';
import { createWorkspace, testPipeline, type Workspace } from '../../support/workspace.js';

// The Redis every process shares stops (SIGTERM, appendonly yes) in the middle of a staging deploy and comes back
// on the same port from the same directory. Web and worker processes report not ready while it is away, reconnect
// on their own, and the promotion carries on from where it was: nothing lost, nothing run twice at once.

let prometheus: FakePrometheus;
let slack: FakeSlack;
let workspace: Workspace;
let pipelineFile: string;
let redis: RestartableRedis | undefined;
let fleet: Fleet | undefined;
let approver: TestBot | undefined;

beforeAll(async () => {
  prometheus = await startFakePrometheus();
  slack = await startFakeSlack({ channels: TEST_CHANNELS, postsPerSecondPerChannel: 50 });
  workspace = await createWorkspace();
  pipelineFile = await workspace.writePipeline(testPipeline({ prometheusUrl: prometheus.url }));
});

afterEach(async () => {
  await fleet?.stop();
  await approver?.shutdown();
  approver = undefined;
  if (workspace) await killStartedSteps(workspace.dir);
  await redis?.remove();
});

afterAll(async () => {
  await slack?.close();
  await prometheus?.close();
  await workspace?.remove();
});

/** A Redis of the test's own, and web and worker processes on it. */
async function startSystem(lockDuration: string) {
  const server = await startRestartableRedis();
  redis = server;
  const prefix = uniquePrefix('redis-restart');
  const processes = createFleet({
    redisUrl: server.url,
    prefix,
    pipelineFile,
    env: { SLACK_API_URL: slack.apiUrl, JOB_LOCK_DURATION: lockDuration },
  });
  fleet = processes;
  const [web, worker] = await Promise.all([processes.web(), processes.worker()]);
  return { server, prefix, web, worker };
}

describe('Redis restarted mid-flow with AOF on', { timeout: 120_000 }, () => {
  it('turns readiness red while Redis is away and green after, and the web and worker processes carry the promotion on to its release', async () => {
    // The lock outlasts the outage, so the running deploy stays with its worker.
    const { server, prefix, web, worker } = await startSystem('10s');
    const version = '6.0.0';
    await workspace.touch(`slow-deploy-staging-${version}`);
    const published = await web.api('POST', '/api/artifacts', {
      service: 'checkout',
      version,
      digest: nextDigest(),
    });
    expect(published.status).toBe(202);
    const id: string = published.body.id;
    const deploy = await waitFor('the staging deploy to start', () =>
      startedPid(workspace.dir, `started-staging-${version}`),
    );
    await waitFor('the web process to be ready', async () => (await readiness(web.url)) === 200);
    await waitFor('the worker to be ready', async () => (await readiness(worker.url)) === 200);

    await server.stop();
    await waitFor('the web process to report not ready', async () => (await readiness(web.url)) === 503);
    await waitFor('the worker to report not ready', async () => (await readiness(worker.url)) === 503);
    // The deploy ends while Redis is away: its outcome has to wait for Redis, not get lost.
    await workspace.touch(`release-staging-${version}`);
    await waitFor('the deploy to end', () => !isProcessAlive(deploy));
    await server.start();
    await waitFor('the web process to be ready again', async () => (await readiness(web.url)) === 200);
    await waitFor('the worker to be ready again', async () => (await readiness(worker.url)) === 200);

    const status = async () => (await web.api('GET', `/api/promotions/${id}`)).body.status;
    await waitFor('the gate', async () => (await status()) === 'awaiting_approval', 30_000);
    approver = await startTestBot({ pipelineFile, role: 'web', prefix, env: { REDIS_URL: server.url } });
    expect((await approver.commands.decide(id, 'approve', { user: 'U0CAROL' })).ok).toBe(true);
    await waitFor('the release', async () => (await status()) === 'released', 30_000);

    const trail = await web.api('GET', `/api/promotions/${id}/events`);
    expect(countSteps(trail.body, 'stepSucceeded')).toEqual(once(TEST_PIPELINE_STEPS));
    const deploys = await workspace.lines('deploys.log');
    expect(deploys.filter((line) => line.startsWith(`staging ${version} `))).toHaveLength(1);
    expect(deploys.filter((line) => line.startsWith(`production ${version} `))).toHaveLength(3);
  });

  it('does not fail a step that is still running when Redis comes back after longer than JOB_LOCK_DURATION', async () => {
    const lockMs = 2000;
    const { server, web, worker } = await startSystem(`${lockMs / 1000}s`);
    const version = '6.1.0';
    await workspace.touch(`slow-deploy-staging-${version}`);
    const published = await web.api('POST', '/api/artifacts', {
      service: 'checkout',
      version,
      digest: nextDigest(),
    });
    expect(published.status).toBe(202);
    const id: string = published.body.id;
    await waitFor('the staging deploy to start', () =>
      startedPid(workspace.dir, `started-staging-${version}`),
    );

    // The fault itself, not a wait for a condition: Redis stays away for twice the lock, so the step's lock
    // expires, and the deploy keeps running for three more lock durations after Redis is back, long enough for
    // any takeover of its job to happen before it ends.
    await server.stop();
    await delay(2 * lockMs);
    await server.start();
    await waitFor('the worker to be ready again', async () => (await readiness(worker.url)) === 200);
    await delay(3 * lockMs);
    await workspace.touch(`release-staging-${version}`);
    const status = async () => (await web.api('GET', `/api/promotions/${id}`)).body.status;
    const after = await waitFor('the staging deploy to be decided', async () => {
      const now = await status();
      return now === 'running' ? undefined : now;
    });

    expect(after).toBe('awaiting_approval');
    const trail = await web.api('GET', `/api/promotions/${id}/events`);
    expect(countSteps(trail.body, 'stepFailed')).toEqual({});
    expect(countSteps(trail.body, 'stepSucceeded')['deploy 1.0']).toBe(1);
    const deploys = await workspace.lines('deploys.log');
    expect(deploys.filter((line) => line.startsWith('CONCURRENT'))).toEqual([]);
  });
});
