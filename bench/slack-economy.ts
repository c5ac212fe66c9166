// 3. Slack economy: Web API calls per promotion on the happy path, and how fast the bot posts into one channel
// when 50 promotions share it, with nothing lost.
import { performance } from 'node:perf_hooks';
import { startFakePrometheus } from '../test/support/fake-prometheus.js';
import {
  buttonsOf,
  type FakeSlack,
  type StoredMessage,
  startFakeSlack,
  TEST_CHANNELS,
  textOf,
} from '../test/support/fake-slack/index.js';
import { sendBlockAction } from '../test/support/slack-requests.js';
import { nextDigest } from '../test/support/test-bot.js';
import { waitFor } from '../test/support/wait-for.js';
import { createWorkspace, serviceNames, servicesPipeline, testPipeline } from '../test/support/workspace.js';
import { type BenchBot, startBenchBot } from './bot.js';
import { benchSlackEnv, SIGNING_SECRET } from './bot-process.js';
import type { BenchContext } from './context.js';
import { APPROVER } from './pipelines.js';
import type { BenchmarkResult, Row } from './report.js';
import { maxInWindow, round } from './stats.js';

const HAPPY_RUNS = 3;
const CALLS_TARGET = 12;
const CONCURRENT = 50;
const BURST_RATE = 10;
const DEPLOYS = 'C0DEPLOYS';

export async function slackEconomy(ctx: BenchContext): Promise<BenchmarkResult> {
  const started = performance.now();
  const happy = await happyPath(ctx);
  const burst = await oneChannel(ctx);
  return {
    name: '3. Slack economy',
    rows: [...happy.rows, ...burst.rows],
    notes: [...happy.notes, ...burst.notes],
    seconds: (performance.now() - started) / 1000,
  };
}

function isTopLevel(message: StoredMessage): boolean {
  return message.thread_ts === undefined || message.thread_ts === message.ts;
}

function isGate(message: StoredMessage, service: string, version: string): boolean {
  return (
    isTopLevel(message) &&
    message.text.startsWith(`${service} ${version} `) &&
    message.blocks[0]?.type === 'header'
  );
}

function parentOf(
  fake: FakeSlack,
  channel: string,
  service: string,
  version: string,
): StoredMessage | undefined {
  return fake.messages(channel).find((m) => isTopLevel(m) && m.text.startsWith(`${service} ${version}: `));
}

/** The smallest time between two chat.postMessage requests (accepted or not) to the same channel. */
function minGap(calls: readonly { method: string; at: number; args: { channel?: unknown } }[]): number {
  const posts = calls.filter((call) => call.method === 'chat.postMessage');
  let smallest = Number.POSITIVE_INFINITY;
  for (let i = 1; i < posts.length; i++) {
    const [a, b] = [posts[i - 1], posts[i]];
    if (a && b && a.args.channel === b.args.channel) smallest = Math.min(smallest, b.at - a.at);
  }
  return smallest;
}

/** Resolves once no Web API call has arrived for `quietMs`. */
async function quiet(fake: FakeSlack, quietMs: number, timeoutMs: number): Promise<void> {
  await waitFor(
    'Slack calls to stop',
    () => {
      const last = fake.calls.at(-1)?.at ?? 0;
      return Date.now() - last >= quietMs;
    },
    timeoutMs,
  );
}

async function happyPath(ctx: BenchContext): Promise<{ rows: Row[]; notes: string[] }> {
  const workspace = await createWorkspace();
  const prometheus = await startFakePrometheus();
  const fake = await startFakeSlack({ postsPerSecondPerChannel: 1, channels: TEST_CHANNELS });
  let bot: BenchBot | undefined;
  try {
    const file = await workspace.writePipeline(testPipeline({ prometheusUrl: prometheus.url }));
    bot = await startBenchBot({
      redisUrl: ctx.redisUrl,
      prefix: 'bench-happy',
      pipelineFile: file,
      env: benchSlackEnv(fake.apiUrl, 1),
    });
    const eventsUrl = `${bot.url}/slack/events`;
    // At start Bolt checks its token (auth.test) and the bot looks at each configured channel
    // (conversations.info): once per process, not a cost of any promotion.
    await waitFor(
      'the start-up calls',
      () => fake.callsTo('auth.test').length >= 1 && fake.callsTo('conversations.info').length >= 2,
      10_000,
    );
    await quiet(fake, 1000, 10_000);
    const perPromotion: (typeof fake.calls)[] = [];
    for (let run = 0; run < HAPPY_RUNS; run++) {
      const version = `1.${run}.0`;
      const from = fake.calls.length;
      await bot.publish('checkout', version, nextDigest());
      const gate = await fake.waitForMessage(
        DEPLOYS,
        (m) => isGate(m, 'checkout', version) && buttonsOf(m).length === 2,
        60_000,
      );
      const value = buttonsOf(gate).find((b) => b.actionId === 'promotion.approve')?.value ?? '';
      const click = await sendBlockAction(eventsUrl, SIGNING_SECRET, {
        actionId: 'promotion.approve',
        value,
        userId: APPROVER,
        channelId: DEPLOYS,
        messageTs: gate.ts,
        responseUrl: fake.responseUrl(),
        triggerId: fake.triggerId(),
        message: gate,
      });
      if (click.status !== 200) throw new Error(`approve click answered ${click.status}`);
      await waitFor(
        `checkout ${version} released in Slack`,
        () =>
          textOf(parentOf(fake, DEPLOYS, 'checkout', version) ?? { blocks: [] }).includes(
            ':rocket: released',
          ),
        60_000,
      );
      await quiet(fake, 1500, 30_000);
      perPromotion.push(
        fake.calls.slice(from).filter((call) => call.method !== 'response_url' && call.method !== 'upload'),
      );
    }
    const totals = perPromotion.map((calls) => calls.length);
    const limited = perPromotion.map((calls) => calls.filter((call) => call.status === 429).length);
    const worst = Math.max(...totals);
    const accepted = (calls: (typeof perPromotion)[number]) => {
      const counts: Record<string, number> = {};
      for (const call of calls.filter((c) => c.ok)) counts[call.method] = (counts[call.method] ?? 0) + 1;
      return Object.entries(counts)
        .sort()
        .map(([method, n]) => `${n} ${method}`)
        .join(' + ');
    };
    return {
      rows: [
        {
          measure: `Web API calls per promotion, happy path (worst of ${HAPPY_RUNS}; every request counts, 429s too)`,
          result: `${worst} (each: ${totals.join(', ')}; of which 429: ${limited.join(', ')})`,
          target: `≤ ${CALLS_TARGET}`,
          pass: worst <= CALLS_TARGET && fake.blockErrors.length === 0,
        },
        {
          measure: 'accepted calls per promotion, by method',
          result: perPromotion.map(accepted).join('; '),
          baseline: `min gap between chat.postMessage requests to one channel: ${round(minGap(perPromotion.flat()), 0)} ms at 1 post/s`,
        },
      ],
      notes: [
        `Happy path: test/support's testPipeline (development: deploy + smoke; staging: deploy + 2 tests; production: canary 10% → 50% → 100% with pauses and a healthy Prometheus metric), real step scripts from createWorkspace, ${HAPPY_RUNS} promotions one after another, each approved with a signed \`promotion.approve\` click on its gate. Bot in-process with production Slack settings (SLACK_POSTS_PER_SECOND=1, 300 ms coalescing); the fake Slack enforces 1 post/s per channel.`,
        "Counted: every Web API request the fake received from publish until 1.5 s after the parent message says released, 429 answers included (each is a request Slack counts); response_url posts are not Web API calls. Bolt's one auth.test at start-up is left out.",
      ],
    };
  } finally {
    await bot?.shutdown();
    await fake.close();
    await prometheus.close();
    await workspace.remove();
  }
}

async function oneChannel(ctx: BenchContext): Promise<{ rows: Row[]; notes: string[] }> {
  const workspace = await createWorkspace();
  const fake = await startFakeSlack({ postsPerSecondPerChannel: BURST_RATE, channels: TEST_CHANNELS });
  let bot: BenchBot | undefined;
  try {
    const file = await workspace.writePipeline(
      servicesPipeline({ count: CONCURRENT, channel: DEPLOYS, approvers: [APPROVER] }),
    );
    bot = await startBenchBot({
      redisUrl: ctx.redisUrl,
      prefix: 'bench-burst',
      pipelineFile: file,
      env: benchSlackEnv(fake.apiUrl, BURST_RATE),
    });
    const running = bot;
    const services = serviceNames(CONCURRENT);
    const startedAt = Date.now();
    await Promise.all(services.map((service) => running.publish(service, '1.0.0', nextDigest())));
    const complete = (service: string) => {
      const parent = parentOf(fake, DEPLOYS, service, '1.0.0');
      const gate = fake.messages(DEPLOYS).find((m) => isGate(m, service, '1.0.0'));
      const thread = parent ? fake.thread(DEPLOYS, parent.ts) : [];
      return Boolean(parent && gate && thread.length >= 1 && textOf(parent).includes('awaiting approval'));
    };
    await waitFor(
      'every promotion to have its parent, thread and gate',
      () => services.every(complete),
      90_000,
    ).catch(() => undefined);
    await quiet(fake, 1500, 30_000).catch(() => undefined);
    const lost = services.filter((service) => !complete(service));
    const attempts = fake.callsTo('chat.postMessage').filter((call) => call.args.channel === DEPLOYS);
    const posts = attempts.filter((call) => call.ok);
    const span = ((posts.at(-1)?.at ?? startedAt) - (posts[0]?.at ?? startedAt)) / 1000;
    const attempted = maxInWindow(attempts.map((call) => call.at));
    const limited = attempts.filter((call) => call.status === 429).length;
    const updates = fake.callsTo('chat.update').length;
    return {
      rows: [
        {
          measure: `chat.postMessage requests into one channel, ${CONCURRENT} promotions at once: most in any 1 s window (429s included)`,
          result: `${attempted}/s; accepted ${fake.maxPostsPerSecond(DEPLOYS)}/s max, ${posts.length} posts in ${round(span, 1)} s = ${round(posts.length / span, 1)}/s mean; ${limited} × 429; min gap ${round(minGap(attempts), 0)} ms`,
          baseline: `limit ${BURST_RATE}/s (fake Slack and SLACK_POSTS_PER_SECOND)`,
          target: `≤ ${BURST_RATE}/s, no 429`,
          pass: attempted <= BURST_RATE && limited === 0,
        },
        {
          measure:
            'lost updates (each promotion: parent, its thread detail, the gate, parent showing "awaiting approval")',
          result: `${lost.length} of ${CONCURRENT} incomplete${lost.length ? `: ${lost.slice(0, 5).join(', ')}` : ''}; ${updates} chat.update`,
          target: '0',
          pass: lost.length === 0 && fake.blockErrors.length === 0,
        },
      ],
      notes: [
        `One channel: test/support's servicesPipeline with ${CONCURRENT} services (development deploy, then production behind the gate) all posting into ${DEPLOYS}; all ${CONCURRENT} published at once and left at the gate. Slack's real limit is about 1 post/s per channel; at that rate this would take minutes, so the fake enforces ${BURST_RATE}/s and the bot runs with SLACK_POSTS_PER_SECOND=${BURST_RATE}.`,
        "The rate is counted where Slack counts it, at arrival: every chat.postMessage request the fake received for the channel, accepted or answered 429, in any sliding second (the fake's own maxPostsPerSecond counts accepted posts only, so it never exceeds the limit). chat.update is not paced by the bot: Slack limits it per workspace, not per channel.",
      ],
    };
  } finally {
    await bot?.shutdown();
    await fake.close();
    await workspace.remove();
  }
}
