// 8. Latencies people feel: an approver's click to the gate message saying it was approved in Slack, and CI's
// publish to the first deploy step running. Each next to its floor, timed in the same run from this process: one
// Redis round trip plus the Slack stand-in's own answer to a chat.update, or plus the step server's own answer.
import { performance } from 'node:perf_hooks';
import type { Notifier } from '../src/engine/ports.js';
import { METHOD_LIMITS } from '../src/slack/notifier/method-limits.js';
import { callWindowKey } from '../src/slack/notifier/pacing.js';
import { slackKeys } from '../src/slack/notifier/slack-keys.js';
import { DEFAULT_SLACK_NOTIFIER_OPTIONS, DELIVERY_POLL_MS } from '../src/slack/notifier/slack-notifier.js';
import {
  buttonsOf,
  type FakeSlack,
  type RecordedCall,
  type StoredMessage,
  startFakeSlack,
  textOf,
} from '../test/support/fake-slack/index.js';
import { startHttpServer } from '../test/support/http-server.js';
import { sendBlockAction } from '../test/support/slack-requests.js';
import { nextDigest } from '../test/support/test-bot.js';
import { waitFor } from '../test/support/wait-for.js';
import { createWorkspace } from '../test/support/workspace.js';
import { type BenchBot, publishOverHttp, startBenchBot } from './bot.js';
import { BOT_TOKEN, benchSlackEnv, SIGNING_SECRET } from './bot-process.js';
import { spawnScript } from './children.js';
import type { BenchContext } from './context.js';
import { APPROVER, noopPipeline, numberedServices } from './pipelines.js';
import type { BenchmarkResult, Row } from './report.js';
import { findGate, hasGateButtons, settledWithin, sleep } from './slack-watch.js';
import { mean, percentile, round } from './stats.js';

/** One service per channel, each published once and approved once: a sample of each latency. */
const SAMPLES = 120;
const POSTS_PER_SECOND = 1;
/** Slack's tiers lifted (see the notes): the bot's record of the last minute's calls is cleared this often. */
const LIFT_EVERY_MS = 250;
/** Between two clicks: one approver at a time, as people click. */
const CLICK_GAP_MS = 50;
const WAIT_MS = 10_000;
/** Untimed publishes and clicks first, so both are measured with warm code. */
const WARMUP = 10;
const FLOOR_CHANNEL = 'C0FLOOR';
/** Felt-latency targets: a click answered within Nielsen's 1 s limit for an uninterrupted flow of thought. */
const CLICK_TARGET_P99_MS = 1000;
const PUBLISH_TARGET_P99_MS = 250;

type Sample = { readonly ms: number; readonly floorMs: number; readonly ackMs: number };
type ClickSample = Sample & { readonly noticeMs: number };

export async function feltLatency(ctx: BenchContext): Promise<BenchmarkResult> {
  const started = performance.now();
  const firstStep = new Map<string, (at: number) => void>();
  const steps = await startHttpServer((request, response) => {
    const url = new URL(request.url, 'http://steps');
    if (url.pathname === '/deploy' && url.searchParams.get('environment') === 'development')
      firstStep.get(url.searchParams.get('service') ?? '')?.(performance.now());
    response.end('ok');
  });
  const workspace = await createWorkspace();
  try {
    const publishes = await publishLatency(ctx, workspace, steps.url, firstStep);
    const { clicks, rateLimited } = await clickLatency(ctx, workspace, steps.url);
    return {
      name: '8. Felt latency',
      rows: rowsOf(clicks, publishes),
      notes: notesOf(rateLimited),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await steps.close();
    await workspace.remove();
  }
}

type Workspace = Awaited<ReturnType<typeof createWorkspace>>;

/** Each artifact published once the one before reached its first step, after WARMUP untimed ones. */
async function publishLatency(
  ctx: BenchContext,
  workspace: Workspace,
  stepUrl: string,
  firstStep: Map<string, (at: number) => void>,
): Promise<Sample[]> {
  // Slack in its own process, as it is in production: its work is not done on the bot's event loop.
  const standin = spawnScript('bench/fake-slack-process.ts', {});
  const services = numberedServices('pub', WARMUP + SAMPLES);
  let bot: BenchBot | undefined;
  try {
    const slack = JSON.parse(await standin.ready) as { apiUrl: string };
    const file = await workspace.writePipeline(noopPipeline({ services, stepUrl }));
    bot = await startBenchBot({
      redisUrl: ctx.redisUrl,
      prefix: 'bench-felt-publish',
      pipelineFile: file,
      env: benchSlackEnv(slack.apiUrl),
    });
    const samples: Sample[] = [];
    for (const [index, service] of services.entries()) {
      const floorMs = (await redisRoundTrip(ctx)) + (await stepRoundTrip(stepUrl));
      const arrived = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${service}: no deploy step in time`)), WAIT_MS);
        firstStep.set(service, (at) => {
          clearTimeout(timer);
          firstStep.delete(service);
          resolve(at);
        });
      });
      const at = performance.now();
      await publishOverHttp(bot.url, { service, version: '1.0.0', digest: nextDigest() });
      const ackMs = performance.now() - at;
      const ms = (await arrived) - at;
      if (index >= WARMUP) samples.push({ ms, floorMs, ackMs });
    }
    return samples;
  } finally {
    await bot?.shutdown();
    await standin.stop();
  }
}

/**
 * Promotions of one service per channel brought to their gates, then each gate approved with a click, one at a
 * time; the stand-in runs in this process, so it can say when each chat.update arrived.
 */
async function clickLatency(
  ctx: BenchContext,
  workspace: Workspace,
  stepUrl: string,
): Promise<{ clicks: ClickSample[]; rateLimited: number }> {
  const services = numberedServices('gate', WARMUP + SAMPLES);
  const channelOf = new Map(
    services.map((service, i) => [service, `C0LAT${String(i + 1).padStart(4, '0')}`]),
  );
  const fake = await startFakeSlack({
    postsPerSecondPerChannel: POSTS_PER_SECOND,
    channels: [...channelOf.values(), FLOOR_CHANNEL].map((id) => ({ id, name: id.toLowerCase() })),
    rateTiers: false,
  });
  const prefix = 'bench-felt-click';
  // When the engine emitted each promotion's approval_decided: splits a click into engine and delivery.
  const decidedAt = new Map<string, number>();
  const notifier: Notifier = {
    async notify(promotion, notice) {
      if (notice.kind === 'approval_decided') decidedAt.set(promotion.id, performance.now());
    },
  };
  const tag = slackKeys(prefix).tag;
  const windows = Object.keys(METHOD_LIMITS).map((method) => callWindowKey(tag, method));
  const lift = setInterval(() => {
    ctx.redis.del(...windows).catch(() => undefined);
  }, LIFT_EVERY_MS);
  let bot: BenchBot | undefined;
  try {
    const file = await workspace.writePipeline(
      noopPipeline({ services, stepUrl, channelOf: (service) => channelOf.get(service) ?? '' }),
    );
    bot = await startBenchBot({
      redisUrl: ctx.redisUrl,
      prefix,
      pipelineFile: file,
      notifier,
      env: benchSlackEnv(fake.apiUrl, POSTS_PER_SECOND),
    });
    const running = bot;
    const ids = new Map<string, string>();
    for (const service of services) ids.set(service, await running.publish(service, '1.0.0', nextDigest()));
    const gates = new Map<string, StoredMessage>();
    await waitFor(
      'every gate message in Slack',
      () => {
        for (const service of services) {
          const gate = gates.has(service) ? undefined : findGate(fake, channelOf.get(service) ?? '', service);
          if (gate) gates.set(service, gate);
        }
        return gates.size === services.length;
      },
      60_000,
    );
    await quiet(fake, 1000, 30_000);
    const floorMessage = await postFloorMessage(fake, gates.get(services[0] ?? '')?.blocks ?? []);
    const clicks: ClickSample[] = [];
    for (const [index, service] of services.entries()) {
      const channel = channelOf.get(service) ?? '';
      const gate = gates.get(service);
      if (!gate) throw new Error(`${service}: no gate`);
      const floorMs = (await redisRoundTrip(ctx)) + (await standinUpdate(fake, floorMessage));
      const updated = gateDecided(fake, channel, gate.ts);
      const at = performance.now();
      const click = await sendBlockAction(`${running.url}/slack/events`, SIGNING_SECRET, {
        actionId: 'promotion.approve',
        value: approveValue(gate),
        userId: APPROVER,
        channelId: channel,
        messageTs: gate.ts,
        responseUrl: fake.responseUrl(),
        triggerId: fake.triggerId(),
        message: gate,
      });
      const ackMs = performance.now() - at;
      if (click.status !== 200) throw new Error(`${service}: the approve click answered ${click.status}`);
      const seen = await updated.within(WAIT_MS);
      if (seen === undefined) throw new Error(`${service}: the gate message did not say approved in time`);
      const noticeMs = (decidedAt.get(ids.get(service) ?? '') ?? Number.NaN) - at;
      if (index >= WARMUP) clicks.push({ ms: seen - at, floorMs, ackMs, noticeMs });
      await sleep(CLICK_GAP_MS);
    }
    return { clicks, rateLimited: fake.rateLimited };
  } finally {
    clearInterval(lift);
    await bot?.shutdown();
    await fake.close();
  }
}

function approveValue(gate: StoredMessage): string {
  const value = buttonsOf(gate).find((button) => button.actionId === 'promotion.approve')?.value;
  if (!value) throw new Error('the gate has no Approve button');
  return value;
}

/**
 * Resolves with when the stand-in received the chat.update after which the gate message at `ts` has no buttons
 * and names the approver: what the approver sees.
 */
function gateDecided(fake: FakeSlack, channel: string, ts: string) {
  let resolve: (at: number) => void = () => undefined;
  const at = new Promise<number>((r) => {
    resolve = r;
  });
  const unsubscribe = fake.onCall((call: RecordedCall) => {
    if (call.method !== 'chat.update' || !call.ok || call.args.ts !== ts) return;
    const message = fake.message(channel, ts);
    if (message && !hasGateButtons(message) && textOf(message).includes(APPROVER)) {
      unsubscribe();
      resolve(performance.now());
    }
  });
  return {
    async within(timeoutMs: number): Promise<number | undefined> {
      try {
        return await settledWithin(at, timeoutMs);
      } finally {
        unsubscribe();
      }
    },
  };
}

async function redisRoundTrip(ctx: BenchContext): Promise<number> {
  const at = performance.now();
  await ctx.redis.ping();
  return performance.now() - at;
}

/** A POST to the step server, as the bot's http step makes it. */
async function stepRoundTrip(url: string): Promise<number> {
  const at = performance.now();
  await (await fetch(`${url}/floor`, { method: 'POST' })).text();
  return performance.now() - at;
}

async function webApi(fake: FakeSlack, method: string, args: Record<string, unknown>) {
  const response = await fetch(`${fake.apiUrl}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(args),
  });
  const body = (await response.json()) as { ok?: boolean; ts?: string; error?: string };
  if (!body.ok) throw new Error(`${method}: ${body.error ?? response.status}`);
  return body;
}

type FloorMessage = { readonly ts: string; readonly blocks: readonly unknown[] };

/** A message of a gate's blocks in a channel of its own, which the floor's chat.update edits. */
async function postFloorMessage(fake: FakeSlack, blocks: readonly unknown[]): Promise<FloorMessage> {
  const posted = await webApi(fake, 'chat.postMessage', { channel: FLOOR_CHANNEL, text: 'floor', blocks });
  return { ts: posted.ts ?? '', blocks };
}

/** One chat.update of a gate-sized message, timed against the stand-in: its own latency. */
async function standinUpdate(fake: FakeSlack, message: FloorMessage): Promise<number> {
  const at = performance.now();
  await webApi(fake, 'chat.update', {
    channel: FLOOR_CHANNEL,
    ts: message.ts,
    text: 'floor',
    blocks: message.blocks,
  });
  return performance.now() - at;
}

/** Resolves once no Web API call has arrived for `quietMs`. */
async function quiet(fake: FakeSlack, quietMs: number, timeoutMs: number): Promise<void> {
  await waitFor('Slack calls to stop', () => Date.now() - (fake.calls.at(-1)?.at ?? 0) >= quietMs, timeoutMs);
}

function p(samples: readonly number[], at: number): string {
  return `${round(percentile(samples, at), 1)}`;
}

function rowsOf(clicks: readonly ClickSample[], publishes: readonly Sample[]): Row[] {
  const clickMs = clicks.map((s) => s.ms);
  const clickFloor = clicks.map((s) => s.floorMs);
  const publishMs = publishes.map((s) => s.ms);
  const publishFloor = publishes.map((s) => s.floorMs);
  const delivery = clicks.map((s) => s.ms - s.noticeMs);
  return [
    {
      measure: `click Approve → gate message updated in Slack (${clicks.length} clicks, one channel each)`,
      result: `p50 ${p(clickMs, 50)} ms, p99 ${p(clickMs, 99)} ms`,
      baseline: `floor p50 ${p(clickFloor, 50)} ms, p99 ${p(clickFloor, 99)} ms (Redis PING + the stand-in's chat.update)`,
      target: `p99 ≤ ${CLICK_TARGET_P99_MS} ms`,
      pass: percentile(clickMs, 99) <= CLICK_TARGET_P99_MS,
    },
    {
      measure: 'of which: click answered (ack) / engine emitted approval_decided / delivery to chat.update',
      result: `ack p50 ${p(
        clicks.map((s) => s.ackMs),
        50,
      )} ms; notice p50 ${p(
        clicks.map((s) => s.noticeMs),
        50,
      )} ms; delivery p50 ${p(delivery, 50)} ms, p99 ${p(delivery, 99)} ms, mean ${round(mean(delivery), 1)} ms`,
      baseline: `deliberate: 0 ms coalescing (urgent notice; routine ${DEFAULT_SLACK_NOTIFIER_OPTIONS.coalesceMs} ms), no poll wait (the notifier rings this process's idle delivery workers; other processes' look every ${DELIVERY_POLL_MS} ms)`,
    },
    {
      measure: `publish (POST /api/artifacts) → first deploy step's request arrives (${publishes.length} publishes, one at a time)`,
      result: `p50 ${p(publishMs, 50)} ms, p99 ${p(publishMs, 99)} ms (answered 202: p50 ${p(
        publishes.map((s) => s.ackMs),
        50,
      )} ms, p99 ${p(
        publishes.map((s) => s.ackMs),
        99,
      )} ms)`,
      baseline: `floor p50 ${p(publishFloor, 50)} ms, p99 ${p(publishFloor, 99)} ms (Redis PING + a POST to the step server)`,
      target: `p99 ≤ ${PUBLISH_TARGET_P99_MS} ms`,
      pass: percentile(publishMs, 99) <= PUBLISH_TARGET_P99_MS,
    },
    {
      measure: 'overhead over the floor, p50 − floor p50',
      result: `click ${round(percentile(clickMs, 50) - percentile(clickFloor, 50), 1)} ms (no deliberate delay: the urgent notice rings the delivery workers); publish ${round(percentile(publishMs, 50) - percentile(publishFloor, 50), 1)} ms`,
      baseline: 'no deliberate delay between a publish and its first step',
    },
  ];
}

function notesOf(rateLimited: number): string[] {
  return [
    `Two bots, each startBenchBot in this process (production timings, logs at info into /dev/null, WORKER_CONCURRENCY=4, SLACK_POSTS_PER_SECOND=${POSTS_PER_SECOND}, production coalescing: ${DEFAULT_SLACK_NOTIFIER_OPTIONS.coalesceMs} ms for routine notices, none for urgent ones such as approval_decided), on bench/pipelines.ts's noopPipeline: development and staging one no-op \`http\` deploy each, production behind a gate for ${APPROVER}.`,
    `Publish: on a bot of its own whose Slack stand-in is its own process (bench/fake-slack-process.ts; every service in C0DEPLOYS at SLACK_POSTS_PER_SECOND=1, so Slack delivery runs alongside, as in production), ${WARMUP} untimed then ${SAMPLES} artifacts POSTed to /api/artifacts one after another (each once the one before reached its step), timed from the request to the development deploy step's POST arriving at the benchmark's step server. Its floor, taken just before each publish: one Redis PING from this process to the same redis-server plus one POST to the same step server. Nothing in the bot waits on purpose here: the publish enqueues the deploy job and an idle BullMQ worker, blocked on its queue, takes it at once.`,
    `Click: on the second bot, whose Slack stand-in is in this process (to see each call arrive) with Slack's per-channel limit (${POSTS_PER_SECOND} post/s), ${WARMUP} + ${SAMPLES} promotions of as many services, each in a channel of its own (so no sample waits for another's post slot), published and brought to their gates; once every gate was posted and Slack had been quiet for 1 s, each gate's Approve button is clicked (a signed block_actions request, test/support/slack-requests.ts; the first ${WARMUP} untimed) one at a time, ${CLICK_GAP_MS} ms apart; timed from sending the click to the stand-in receiving the chat.update after which that gate message has no buttons and names the approver. Its floor, taken just before each click: one Redis PING plus one chat.update of a gate-sized message timed against the stand-in. The split: "ack" is the click's HTTP answer, "notice" when the engine emitted approval_decided (a notifier in this process), "delivery" from then to the chat.update.`,
    `Deliberate delays: approval_decided is urgent, so its channel's lane is due at once (routine notices wait ${DEFAULT_SLACK_NOTIFIER_OPTIONS.coalesceMs} ms to be coalesced); recording it rings the idle delivery workers of the same process (src/slack/notifier/lane-bell.ts), so none waits for its next look at the lanes (every ${DELIVERY_POLL_MS} ms; that look is still how a worker in another process, with the web role split from the worker role, finds it); the 1 post/s per channel slot does not apply to chat.update.`,
    `Slack's per-method tiers are lifted for this benchmark: Slack allows about 50 chat.update a minute per workspace (the bot keeps to 45 for urgent edits), which would allow only about 15 of these clicks a minute (each promotion also edits its parent message), and bringing the promotions to their gates (four posts each) would exceed chat.postMessage's minute budget. The bench clears the bot's record of the last minute's calls every ${LIFT_EVERY_MS} ms and the stand-in's tiers are off (${rateLimited} × 429 in all), so each click sees the budget of a quiet workspace; a workspace approving more than ~45 gates a minute would see its edits wait for the budget, which is deliberate pacing, not overhead.`,
    `p50 and p99 are nearest-rank over the samples (bench/stats.ts); "overhead" is the p50 less the floor's p50. The targets are the felt ones: a click's result seen within 1 s (the limit for an uninterrupted flow of thought), a publish's first step started within 250 ms.`,
  ];
}
