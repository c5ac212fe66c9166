import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../../src/steps/run/process-group.js';
import { type FakeSlack, type StoredMessage, startFakeSlack } from '../../support/fake-slack/index.js';
import { countChecks, countSteps, once } from '../../support/faults/audit.js';
import { createFleet, type Fleet } from '../../support/faults/bot-fleet.js';
import { type FaultPrometheus, startFaultPrometheus } from '../../support/faults/fault-prometheus.js';
import { killStartedSteps, parentPid, startedPid } from '../../support/faults/step-processes.js';
import { testRedisUrl } from '../../support/redis.js';
import { nextDigest, startTestBot, type TestBot } from '../../support/test-bot.js';
import { waitFor } from '../../support/wait-for.js';
import { createWorkspace, testPipeline, type Workspace } from '../../support/workspace.js';
import { isGate, isTopLevel } from '../slack/slack-harness.js';

// Worker processes (`promotion-bot start --role worker`, JOB_LOCK_DURATION=2s) killed with SIGKILL in the middle
// of a test step and in the middle of a production analysis check. The job's lock expires, the next worker takes
// it over (stopping the script the dead worker left running first), and the promotion completes with every step
// and check recorded once. Slack, fed by the same workers, shows one promotion message and one gate.

const DEPLOYS = 'C0DEPLOYS';
const STEPS = [
  'deploy 0.0',
  'test 0.0',
  'deploy 1.0',
  'test 1.0',
  'test 1.1',
  'deploy 2.0',
  'deploy 2.1',
  'deploy 2.2',
];
// Canary 10% for 600 ms and 50% for 300 ms, checked every 100 ms.
const CHECKS = ['0.1', '0.2', '0.3', '0.4', '0.5', '0.6', '1.1', '1.2', '1.3'];

let slack: FakeSlack;
let prometheus: FaultPrometheus;
let workspace: Workspace;
let web: TestBot;
let fleet: Fleet;

beforeAll(async () => {
  slack = await startFakeSlack({ postsPerSecondPerChannel: 20 });
  prometheus = await startFaultPrometheus();
  workspace = await createWorkspace();
  const pipelineFile = await workspace.writePipeline(testPipeline({ prometheusUrl: prometheus.url }));
  const slackEnv = {
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: 'fault-signing-secret',
    SLACK_API_URL: slack.apiUrl,
    SLACK_POSTS_PER_SECOND: '20',
  };
  web = await startTestBot({ pipelineFile, role: 'web', env: slackEnv });
  fleet = createFleet({
    redisUrl: testRedisUrl(),
    prefix: web.prefix,
    pipelineFile,
    env: { ...slackEnv, JOB_LOCK_DURATION: '2s' },
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

async function publish(version: string): Promise<string> {
  const response = await web.api('POST', '/api/artifacts', { service: 'checkout', version, digest: nextDigest() });
  expect(response.status).toBe(202);
  return response.body.id;
}

async function statusIs(id: string, status: string): Promise<boolean> {
  return (await web.api('GET', `/api/promotions/${id}`)).body.status === status;
}

function isParent(message: StoredMessage, version: string): boolean {
  return isTopLevel(message) && message.text.startsWith(`checkout ${version}: `);
}

/** Once the gate is posted: how many promotion messages and gates Slack shows for `version`. */
async function slackMessagesOf(version: string) {
  await waitFor('the gate message', () => slack.messages(DEPLOYS).some((m) => isGate(m, 'checkout', version)));
  const messages = slack.messages(DEPLOYS);
  return {
    parents: messages.filter((m) => isParent(m, version)).length,
    gates: messages.filter((m) => isGate(m, 'checkout', version)).length,
  };
}

describe('a worker killed with SIGKILL', () => {
  it('during a test step: another worker stops the orphaned test, runs it again alone, and the promotion is released', async () => {
    const version = '5.0.0';
    await workspace.touch(`slow-test-acceptance-${version}`);
    const first = await fleet.worker();
    const id = await publish(version);
    const orphan = await waitFor('the acceptance test to start', () =>
      startedPid(workspace.dir, `started-test-acceptance-${version}`),
    );
    expect(await parentPid(orphan)).toBe(first.pid);
    await slack.waitForMessage(DEPLOYS, (m) => isParent(m, version), 10_000);

    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    await fleet.worker();
    const rerun = await waitFor('the acceptance test to run again', async () => {
      const pid = await startedPid(workspace.dir, `started-test-acceptance-${version}`);
      return pid !== orphan ? pid : undefined;
    });
    expect(isProcessAlive(orphan)).toBe(false);
    await workspace.touch(`release-test-acceptance-${version}`);
    await waitFor('the gate', () => statusIs(id, 'awaiting_approval'));
    expect((await web.commands.decide(id, 'approve', { user: 'U0CAROL' })).ok).toBe(true);
    await waitFor('the release', () => statusIs(id, 'released'), 30_000);

    expect(rerun).not.toBe(orphan);
    const tests = await workspace.lines('tests.log');
    expect(tests.filter((line) => line.startsWith('CONCURRENT'))).toEqual([]);
    expect(tests.filter((line) => line === `staging ${version} acceptance`)).toHaveLength(2);
    const trail = await web.api('GET', `/api/promotions/${id}/events`);
    expect(countSteps(trail.body, 'stepSucceeded')).toEqual(once(STEPS));
    expect(countSteps(trail.body, 'stepFailed')).toEqual({});
    expect(await slackMessagesOf(version)).toEqual({ parents: 1, gates: 1 });
  });

  it('during a production analysis check: another worker takes the check over, each check counts once, and the promotion is released', async () => {
    const version = '5.1.0';
    const first = await fleet.worker();
    const id = await publish(version);
    await waitFor('the gate', () => statusIs(id, 'awaiting_approval'));
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
    expect(countSteps(trail.body, 'stepSucceeded')).toEqual(once(STEPS));
    // The held query of the dead worker, then one query per check.
    expect(prometheus.queries - queriesBefore).toBe(CHECKS.length + 1);
    expect(prometheus.maxInFlight).toBe(1);
    const deploys = await workspace.lines('deploys.log');
    expect(deploys.filter((line) => line.startsWith('CONCURRENT'))).toEqual([]);
    expect(deploys.filter((line) => line.startsWith(`production ${version} `))).toHaveLength(3);
    expect(await slackMessagesOf(version)).toEqual({ parents: 1, gates: 1 });
  });
});
