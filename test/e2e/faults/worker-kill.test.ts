import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../../src/steps/run/process-group.js';
import { type FakeSlack, startFakeSlack, TEST_CHANNELS } from '../../support/fake-slack/index.js';
import { countChecks, countSteps, once, TEST_PIPELINE_STEPS } from '../../support/faults/audit.js';
import { createFleet, type Fleet } from '../../support/faults/bot-fleet.js';
import { type FaultPrometheus, startFaultPrometheus } from '../../support/faults/fault-prometheus.js';
import { killStartedSteps, parentPid, startedPid } from '../../support/faults/step-processes.js';
import { promotionStatus, publishArtifact } from '../../support/promotion-api.js';
import { testRedisUrl } from '../../support/redis.js';
import { startTestBot, type TestBot } from '../../support/test-bot.js';
import { waitFor } from '../../support/wait-for.js';
import { createWorkspace, testPipeline, type Workspace } from '../../support/workspace.js';

// Worker processes (`promotion-bot start --role worker`, JOB_LOCK_DURATION=2s) killed with SIGKILL in the middle
// of a test step and in the middle of a production analysis check. The job's lock expires, the next worker takes
// it over (stopping the script the dead worker left running first), and the promotion completes with every step
// and check recorded once.

// Canary 10% for 600 ms and 50% for 300 ms, checked every 100 ms.
const CHECKS = ['0.1', '0.2', '0.3', '0.4', '0.5', '0.6', '1.1', '1.2', '1.3'];

let slack: FakeSlack;
let prometheus: FaultPrometheus;
let workspace: Workspace;
let web: TestBot;
let fleet: Fleet;

beforeAll(async () => {
  slack = await startFakeSlack({ channels: TEST_CHANNELS, postsPerSecondPerChannel: 50 });
  prometheus = await startFaultPrometheus();
  workspace = await createWorkspace();
  const pipelineFile = await workspace.writePipeline(testPipeline({ prometheusUrl: prometheus.url }));
  web = await startTestBot({ pipelineFile, role: 'web' });
  fleet = createFleet({
    redisUrl: testRedisUrl(),
    prefix: web.prefix,
    pipelineFile,
    env: { SLACK_API_URL: slack.apiUrl, JOB_LOCK_DURATION: '2s' },
  });
});

afterEach(async () => {
  await fleet?.stop();
  if (workspace) await killStartedSteps(workspace.dir);
});

afterAll(async () => {
  await web?.shutdown();
  await prometheus?.close();
  await slack?.close();
  await workspace?.remove();
});

function publish(version: string): Promise<string> {
  return publishArtifact(web.api, { version });
}

async function statusIs(id: string, status: string): Promise<boolean> {
  return (await promotionStatus(web.api, id)) === status;
}

describe('a worker killed with SIGKILL', { timeout: 120_000 }, () => {
  it('during a test step: another worker stops the orphaned test, runs it again alone, and the promotion is released', async () => {
    const version = '5.0.0';
    await workspace.touch(`slow-test-acceptance-${version}`);
    const first = await fleet.worker();
    const id = await publish(version);
    const orphan = await waitFor('the acceptance test to start', () =>
      startedPid(workspace.dir, `started-test-acceptance-${version}`),
    );
    expect(await parentPid(orphan)).toBe(first.pid);

    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    await fleet.worker();
    await waitFor('the acceptance test to run again', async () => {
      const pid = await startedPid(workspace.dir, `started-test-acceptance-${version}`);
      return pid !== orphan ? pid : undefined;
    });
    expect(isProcessAlive(orphan)).toBe(false);
    await workspace.touch(`release-test-acceptance-${version}`);
    await waitFor('the gate', () => statusIs(id, 'awaiting_approval'), 30_000);
    expect((await web.commands.decide(id, 'approve', { user: 'U0CAROL' })).ok).toBe(true);
    await waitFor('the release', () => statusIs(id, 'released'), 30_000);

    const tests = await workspace.lines('tests.log');
    expect(tests.filter((line) => line.startsWith('CONCURRENT'))).toEqual([]);
    expect(tests.filter((line) => line === `staging ${version} acceptance`)).toHaveLength(2);
    const trail = await web.api('GET', `/api/promotions/${id}/events`);
    expect(countSteps(trail.body, 'stepSucceeded')).toEqual(once(TEST_PIPELINE_STEPS));
    expect(countSteps(trail.body, 'stepFailed')).toEqual({});
  });

  it('during a production analysis check: another worker takes the check over, each check counts once, and the promotion is released', async () => {
    const version = '5.1.0';
    const first = await fleet.worker();
    const id = await publish(version);
    await waitFor('the gate', () => statusIs(id, 'awaiting_approval'), 30_000);
    const queriesBefore = prometheus.queries;
    const held = prometheus.holdNext();
    expect((await web.commands.decide(id, 'approve', { user: 'U0CAROL' })).ok).toBe(true);
    await held;

    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    prometheus.release();
    await fleet.worker();
    await waitFor('the release', () => statusIs(id, 'released'), 30_000);

    const trail = await web.api('GET', `/api/promotions/${id}/events`);
    expect(countChecks(trail.body)).toEqual(once(CHECKS));
    expect(countSteps(trail.body, 'stepSucceeded')).toEqual(once(TEST_PIPELINE_STEPS));
    // The held query of the dead worker, then one query per check.
    expect(prometheus.queries - queriesBefore).toBe(CHECKS.length + 1);
    expect(prometheus.maxInFlight).toBe(1);
    const deploys = await workspace.lines('deploys.log');
    expect(deploys.filter((line) => line.startsWith('CONCURRENT'))).toEqual([]);
    expect(deploys.filter((line) => line.startsWith(`production ${version} `))).toHaveLength(3);
  });
});
