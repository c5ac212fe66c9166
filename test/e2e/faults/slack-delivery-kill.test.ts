import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackKeys } from '../../../src/slack/notifier/slack-keys.js';
import { type FakePrometheus, startFakePrometheus } from '../../support/fake-prometheus.js';
import {
  buttonsOf,
  type FakeSlack,
  type Payload,
  startFakeSlack,
  TEST_CHANNELS,
} from '../../support/fake-slack/index.js';
import { createFleet, type Fleet } from '../../support/faults/bot-fleet.js';
import { publishArtifact } from '../../support/promotion-api.js';
import { connectTestRedis, testRedisUrl, uniquePrefix } from '../../support/redis.js';
import { startTestBot, type TestBot } from '../../support/test-bot.js';
import { waitFor } from '../../support/wait-for.js';
import { createWorkspace, testPipeline, type Workspace } from '../../support/workspace.js';

// A worker killed with SIGKILL while Slack holds one of its posts: Slack takes the post, but the answer never
// reaches the bot. Another worker takes the lane over, finds the post in the channel by its metadata, and
// carries on: one promotion message, one gate, each thread reply once, against the strict stand-in.

const CHANNEL = 'C0DEPLOYS';
/** Slack holds the post this long, then takes it: longer than the kill, shorter than the lane's lease. */
const HOLD_MS = 3000;

let prometheus: FakePrometheus;
let fake: FakeSlack;
let workspace: Workspace;
let fleet: Fleet;
let web: TestBot;
let prefix: string;

beforeAll(async () => {
  prometheus = await startFakePrometheus();
  fake = await startFakeSlack({ channels: TEST_CHANNELS, postsPerSecondPerChannel: 20 });
  workspace = await createWorkspace();
  const pipelineFile = await workspace.writePipeline(testPipeline({ prometheusUrl: prometheus.url }));
  prefix = uniquePrefix('slack-kill');
  const slackEnv = {
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: 'fault-signing-secret',
    SLACK_API_URL: fake.apiUrl,
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
  await fake?.close();
  await prometheus?.close();
  await workspace?.remove();
});

function publish(version: string): Promise<string> {
  return publishArtifact(web.api, { version });
}

/** Everything the bot posted for the promotion, by the key in its metadata: each must be there once. */
function postedKeys(promotionId: string): string[] {
  return fake
    .callsTo('chat.postMessage')
    .filter((call) => call.ok && call.args.metadata?.event_payload?.promotion_id === promotionId)
    .map((call) => String(call.args.metadata.event_payload.key));
}

/** Until nothing is left to deliver for the promotion. */
async function delivered(promotionId: string): Promise<void> {
  const redis = connectTestRedis();
  try {
    await waitFor(
      'nothing left to deliver',
      async () => ((await redis.hexists(slackKeys(prefix).outstanding, promotionId)) ? undefined : true),
      40_000,
    );
  } finally {
    await redis.quit();
  }
}

async function killWhileHeld(version: string, held: (args: Payload) => boolean): Promise<string> {
  await fleet.stop(); // the only worker, so the one killed is the one whose post Slack holds
  const first = await fleet.worker();
  fake.failNext('chat.postMessage', 1, { hangMs: HOLD_MS }, held);
  const id = await publish(version);
  await fake.waitForInFlight('chat.postMessage', (call) => held(call.args), 30_000);
  first.child.kill('SIGKILL');
  expect(await first.exited).toBe('SIGKILL');
  await fleet.worker();
  return id;
}

describe('a worker killed with SIGKILL while Slack holds its post', { timeout: 120_000 }, () => {
  it('leaves one promotion message when the post held was the promotion message', async () => {
    const version = '9.0.0';
    const id = await killWhileHeld(version, (args) => String(args.text).startsWith(`checkout ${version}: `));

    const gate = await fake.waitForMessage(
      CHANNEL,
      (m) => m.text.startsWith(`checkout ${version} needs approval`),
      40_000,
    );
    expect(buttonsOf(gate)).toHaveLength(2);
    await delivered(id);
    const keys = postedKeys(id);
    expect(keys).toEqual([...new Set(keys)]);
    expect(fake.messages(CHANNEL).filter((m) => m.text.startsWith(`checkout ${version}: `))).toHaveLength(1);
    // The worker that took over looked in the channel before posting again.
    expect(fake.callsTo('conversations.history').length).toBeGreaterThan(0);
  });

  it('leaves one live gate when the post held was the gate', async () => {
    const version = '9.1.0';
    const id = await killWhileHeld(version, (args) =>
      String(args.text).startsWith(`checkout ${version} needs approval`),
    );

    await fake.waitForMessage(
      CHANNEL,
      (m) => m.text.startsWith(`checkout ${version} needs approval`),
      40_000,
    );
    await delivered(id);
    const gates = fake
      .messages(CHANNEL)
      .filter((m) => m.text.startsWith(`checkout ${version} needs approval`));
    expect(gates).toHaveLength(1);
    expect(buttonsOf(gates[0] ?? { blocks: [] })).toHaveLength(2);
    const keys = postedKeys(id);
    expect(keys).toEqual([...new Set(keys)]);
    expect(keys.filter((key) => key.startsWith('gate.'))).toHaveLength(1);
    const heldAt = fake
      .callsTo('chat.postMessage')
      .find((c) => String(c.args.text).includes('needs approval'))?.at;
    expect(fake.callsTo('conversations.history').some((call) => call.at > (heldAt ?? 0))).toBe(true);
  });
});
