import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakePrometheus, startFakePrometheus } from '../../support/fake-prometheus.js';
import { createFleet, type Fleet } from '../../support/faults/bot-fleet.js';
import { type SlackCall, type SlackStub, startSlackStub } from '../../support/faults/slack-stub.js';
import { testRedisUrl, uniquePrefix } from '../../support/redis.js';
import { nextDigest, startTestBot, type TestBot } from '../../support/test-bot.js';
import { waitFor } from '../../support/wait-for.js';
import { createWorkspace, testPipeline, type Workspace } from '../../support/workspace.js';

// A worker killed with SIGKILL while it is delivering a promotion's notices to Slack (a reply in the promotion's
// thread is in flight, so the gate, which comes after it, is not out yet). Another worker must carry on delivering that promotion's notices: the gate
// reaches Slack soon after the promotion reaches it, and Slack shows one promotion message and one gate.

const CHANNEL = 'C0DEPLOYS';
/** How late the gate message may arrive after the gate opened, with JOB_LOCK_DURATION=2s. */
const GATE_LATENCY_MS = 20_000;

let prometheus: FakePrometheus;
let slack: SlackStub;
let workspace: Workspace;
let fleet: Fleet;
let web: TestBot;

beforeAll(async () => {
  prometheus = await startFakePrometheus();
  slack = await startSlackStub();
  workspace = await createWorkspace();
  const pipelineFile = await workspace.writePipeline(testPipeline({ prometheusUrl: prometheus.url }));
  const prefix = uniquePrefix('slack-kill');
  const slackEnv = {
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: 'fault-signing-secret',
    SLACK_API_URL: slack.apiUrl,
    SLACK_POSTS_PER_SECOND: '20',
  };
  web = await startTestBot({ pipelineFile, role: 'web', prefix, env: slackEnv });
  fleet = createFleet({
    redisUrl: testRedisUrl(),
    prefix,
    pipelineFile,
    env: { ...slackEnv, JOB_LOCK_DURATION: '2s' },
  });
});

afterAll(async () => {
  await fleet?.stop();
  await web?.shutdown();
  await slack?.close();
  await prometheus?.close();
  await workspace?.remove();
});

function topLevelPosts(version: string, suffix: string): SlackCall[] {
  return slack.calls.filter(
    (call) =>
      call.method === 'chat.postMessage' &&
      call.channel === CHANNEL &&
      call.threadTs === undefined &&
      call.text.startsWith(`checkout ${version}${suffix}`),
  );
}

describe('a worker killed with SIGKILL in the middle of a Slack delivery', { timeout: 120_000 }, () => {
  it('leaves the promotion’s later notices to another worker, which posts the gate soon, once, under one promotion message', async () => {
    const version = '9.0.0';
    const first = await fleet.worker();
    const inFlight = slack.holdNext(
      (call) => call.method === 'chat.postMessage' && call.threadTs !== undefined,
    );
    const published = await web.api('POST', '/api/artifacts', {
      service: 'checkout',
      version,
      digest: nextDigest(),
    });
    expect(published.status).toBe(202);
    const id: string = published.body.id;
    await inFlight;

    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    slack.release();
    await fleet.worker();
    await waitFor(
      'the gate',
      async () => (await web.api('GET', `/api/promotions/${id}`)).body.status === 'awaiting_approval',
      30_000,
    );
    const opened = performance.now();
    await waitFor(
      'the gate message',
      () => topLevelPosts(version, ' needs approval').length > 0,
      GATE_LATENCY_MS,
    );
    console.log(`gate message posted ${Math.round(performance.now() - opened)} ms after the gate opened`);

    expect(topLevelPosts(version, ': ')).toHaveLength(1);
    expect(topLevelPosts(version, ' needs approval')).toHaveLength(1);
  });
});
