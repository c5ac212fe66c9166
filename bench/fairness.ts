// 6. Fairness: one channel flooded by 1,000 promotions must not hold back another service's gate in its own, quiet
// channel. Measured from the quiet service reaching its gate (its status in GET /api/promotions/<id>) to its gate
// message (Approve and Reject buttons) appearing in its channel on the Slack stand-in, at Slack's real 1 post/s.
import { performance } from 'node:perf_hooks';
import { type FakeSlack, startFakeSlack, textOf } from '../test/support/fake-slack/index.js';
import { nextDigest } from '../test/support/test-bot.js';
import { createWorkspace } from '../test/support/workspace.js';
import { type BenchBot, publishOverHttp, startBenchBot } from './bot.js';
import { benchSlackEnv } from './bot-process.js';
import type { BenchContext } from './context.js';
import { APPROVER, gatedPipeline } from './pipelines.js';
import type { BenchmarkResult, Row } from './report.js';
import { allMessages, sleep, waitForStatus, watchGate } from './slack-watch.js';
import { max, maxInWindow, median, round } from './stats.js';

const FLOOD = Math.max(1, Number(process.env.BENCH_FLOOD ?? '1000'));
const FLOOD_CHANNEL = 'C0FLOOD';
const QUIET_CHANNEL = 'C0QUIET';
/** Quiet-channel promotions, one service each so none supersedes another: the first right after the flood. */
const PROBES = 3;
const PROBE_SPACING_MS = 10_000;
/** How long a probe waits to reach its gate, and then for its gate message. */
const PROBE_CAP_MS = 30_000;
const TARGET_MS = 5000;
const PUBLISH_CONCURRENCY = 8;
const POSTS_PER_SECOND = 1;

/** Start-up, two floods and their probes, shut-downs: the backstop in bench/run.ts. */
export const FAIRNESS_BUDGET_MS = 2 * (60_000 + PROBE_SPACING_MS * (PROBES - 1) + 2 * PROBE_CAP_MS) + 30_000;

type Variant = {
  readonly key: 'versions' | 'services';
  readonly describe: string;
  readonly services: readonly string[];
  readonly flood: readonly { readonly service: string; readonly version: string }[];
  /** Finds, in a flood message's text, the key of each flood promotion it names. */
  readonly keysIn: (text: string) => string[];
  readonly keyOf: (artifact: { service: string; version: string }) => string;
};

type Probe = {
  readonly service: string;
  /** Publish → gate reached (the API's status), ms. */
  readonly toGateStatus?: number;
  /** Gate reached → gate message in the quiet channel, ms; undefined when it did not appear within the cap. */
  readonly toGateMessage?: number;
  /** Flood promotions not yet named by any message in the flood channel when the gate appeared (or at the cap). */
  readonly floodUnposted: number;
  /** Accepted chat.postMessage calls into the flood channel by then. */
  readonly floodPosts: number;
};

export async function fairness(ctx: BenchContext): Promise<BenchmarkResult> {
  const started = performance.now();
  const versions: Variant = {
    key: 'versions',
    describe: `one service, ${FLOOD} versions`,
    services: ['flood'],
    flood: Array.from({ length: FLOOD }, (_, i) => ({ service: 'flood', version: `1.0.${i + 1}` })),
    keysIn: (text) => [...text.matchAll(/\bflood 1\.0\.(\d+)(?![\d])/g)].map((m) => m[1] ?? ''),
    keyOf: ({ version }) => version.slice('1.0.'.length),
  };
  const names = Array.from({ length: FLOOD }, (_, i) => `flood-${String(i + 1).padStart(4, '0')}`);
  const services: Variant = {
    key: 'services',
    describe: `${FLOOD} services, one version each`,
    services: names,
    flood: names.map((service) => ({ service, version: '1.0.0' })),
    keysIn: (text) => [...text.matchAll(/\bflood-(\d{4})(?![\d])/g)].map((m) => m[1] ?? ''),
    keyOf: ({ service }) => service.slice('flood-'.length),
  };
  const rows: Row[] = [];
  for (const variant of [versions, services]) rows.push(...(await runVariant(ctx, variant)));
  return {
    name: '6. Fairness',
    rows,
    notes: [
      `Pipeline: each service has development (\`./deploy.sh\` from test/support's createWorkspace) then production behind a gate (approver ${APPROVER}, never approved). The flood services post into ${FLOOD_CHANNEL}; the probe services quiet-1 … quiet-${PROBES} into ${QUIET_CHANNEL}. Slack stand-in in this process with Slack's real per-channel limit (postsPerSecondPerChannel ${POSTS_PER_SECOND}, 429 with Retry-After above it); bot in this process with SLACK_POSTS_PER_SECOND=${POSTS_PER_SECOND} and production timings.`,
      `Two floods, each on a fresh bot and stand-in: "versions" publishes ${FLOOD} versions of one service (each new version supersedes the one before), "services" publishes one version of each of ${FLOOD} services sharing ${FLOOD_CHANNEL}. Both through POST /api/artifacts, ${PUBLISH_CONCURRENCY} requests in flight, as fast as the API answers. Set BENCH_FLOOD for a smaller flood.`,
      `Then ${PROBES} probes ${PROBE_SPACING_MS / 1000} s apart, the first as soon as the flood is published, each a different quiet service. Measured per probe: from reaching its gate (GET /api/promotions/<id> polled every 50 ms until status is awaiting_approval; the time is the promotion's updatedAt) to the Web API call after which the stand-in holds a message in ${QUIET_CHANNEL} naming the service with Approve and Reject buttons. A probe waits at most ${PROBE_CAP_MS / 1000} s for its gate status and ${PROBE_CAP_MS / 1000} s more for the message; "> ${PROBE_CAP_MS / 1000} s" means it did not appear.`,
      `"flood not yet in Slack" counts the flood promotions that no message in ${FLOOD_CHANNEL} names yet when the probe's gate appeared (or its wait ended): a bot that folds a superseded promotion into its successor may never name some, so read it next to the accepted posts. Rates: the stand-in's maxPostsPerSecond (accepted posts in any 1 s), chat.postMessage requests in any 1 s (429s included), and the stand-in's 429 count.`,
    ],
    seconds: (performance.now() - started) / 1000,
  };
}

async function runVariant(ctx: BenchContext, variant: Variant): Promise<Row[]> {
  const workspace = await createWorkspace();
  const fake = await startFakeSlack({
    postsPerSecondPerChannel: POSTS_PER_SECOND,
    channels: [FLOOD_CHANNEL, QUIET_CHANNEL].map((id) => ({ id, name: id.toLowerCase() })),
  });
  const quiet = Array.from({ length: PROBES }, (_, i) => `quiet-${i + 1}`);
  let bot: BenchBot | undefined;
  try {
    const file = await workspace.writePipeline(
      gatedPipeline([
        ...variant.services.map((name) => ({ name, channel: FLOOD_CHANNEL })),
        ...quiet.map((name) => ({ name, channel: QUIET_CHANNEL })),
      ]),
    );
    bot = await startBenchBot({
      redisUrl: ctx.redisUrl,
      prefix: `bench-fair-${variant.key}`,
      pipelineFile: file,
      env: {
        ...benchSlackEnv(fake.apiUrl, POSTS_PER_SECOND),
      },
    });
    const url = bot.url;
    const floodStarted = performance.now();
    const queue = [...variant.flood];
    const publishers = Array.from({ length: PUBLISH_CONCURRENCY }, async () => {
      for (let next = queue.shift(); next; next = queue.shift())
        await publishOverHttp(url, { ...next, digest: nextDigest() });
    });
    await Promise.all(publishers);
    const floodSeconds = (performance.now() - floodStarted) / 1000;
    const published = new Set(variant.flood.map(variant.keyOf));
    const unposted = () => {
      const named = new Set(allMessages(fake, FLOOD_CHANNEL).flatMap((m) => variant.keysIn(textOf(m))));
      return [...published].filter((key) => !named.has(key)).length;
    };
    const floodPosts = () =>
      fake.callsTo('chat.postMessage').filter((c) => c.ok && c.args.channel === FLOOD_CHANNEL).length;
    const probes = await Promise.all(
      quiet.map(async (service, index) => {
        await sleep(index * PROBE_SPACING_MS);
        return probe(fake, url, service, () => ({ floodUnposted: unposted(), floodPosts: floodPosts() }));
      }),
    );
    return rowsOf(variant, fake, probes, floodSeconds);
  } finally {
    await bot?.shutdown();
    await fake.close();
    await workspace.remove();
  }
}

async function probe(
  fake: FakeSlack,
  url: string,
  service: string,
  flood: () => { floodUnposted: number; floodPosts: number },
): Promise<Probe> {
  const gate = watchGate(fake, QUIET_CHANNEL, service);
  try {
    const publishedAt = Date.now();
    const id = await publishOverHttp(url, { service, version: '1.0.0', digest: nextDigest() });
    const reached = await waitForStatus(url, id, 'awaiting_approval', PROBE_CAP_MS);
    if (reached === undefined) return { service, ...flood() };
    const remaining = PROBE_CAP_MS - Math.max(0, Date.now() - reached);
    const appeared = await gate.within(Math.max(0, remaining));
    return {
      service,
      toGateStatus: reached - publishedAt,
      ...(appeared === undefined ? {} : { toGateMessage: Math.max(0, appeared - reached) }),
      ...flood(),
    };
  } finally {
    gate.stop();
  }
}

function rowsOf(variant: Variant, fake: FakeSlack, probes: readonly Probe[], floodSeconds: number): Row[] {
  const cap = `> ${PROBE_CAP_MS / 1000} s`;
  const seconds = (ms: number | undefined) => (ms === undefined ? cap : `${round(ms / 1000, 2)} s`);
  // A probe that never showed its gate counts as the cap, so p50 and max never look better than they were.
  const delays = probes.map((p) => p.toGateMessage ?? Number.POSITIVE_INFINITY);
  const p50 = median(delays);
  const worst = max(delays);
  const attempts = (channel: string) =>
    fake
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === channel)
      .map((c) => c.at);
  const limited = fake.calls.filter((c) => c.status === 429);
  const limitedBy = new Map<string, number>();
  for (const call of limited) limitedBy.set(call.method, (limitedBy.get(call.method) ?? 0) + 1);
  const busiest = Math.max(
    fake.maxPostsPerSecond(FLOOD_CHANNEL),
    fake.maxPostsPerSecond(QUIET_CHANNEL),
    maxInWindow(attempts(FLOOD_CHANNEL)),
    maxInWindow(attempts(QUIET_CHANNEL)),
  );
  return [
    {
      measure: `${variant.key}: gate reached → gate message in the quiet channel while ${FLOOD} promotions flood another (${PROBES} probes ${PROBE_SPACING_MS / 1000} s apart)`,
      result: `p50 ${seconds(Number.isFinite(p50) ? p50 : undefined)}, max ${seconds(Number.isFinite(worst) ? worst : undefined)} (each: ${probes.map((p) => seconds(p.toGateMessage)).join(', ')})`,
      baseline: `${variant.describe}, published in ${round(floodSeconds, 1)} s (${round(FLOOD / floodSeconds, 0)}/s); publish → gate status: ${probes.map((p) => seconds(p.toGateStatus)).join(', ')}`,
      target: `≤ ${TARGET_MS / 1000} s`,
      pass: Number.isFinite(worst) && worst <= TARGET_MS,
    },
    {
      measure: `${variant.key}: flood not yet in Slack at each probe's gate (promotions no ${FLOOD_CHANNEL} message names; accepted ${FLOOD_CHANNEL} posts so far)`,
      result: probes.map((p) => `${p.floodUnposted} of ${FLOOD} (${p.floodPosts} posts)`).join('; '),
    },
    {
      measure: `${variant.key}: Slack limits (accepted posts in any 1 s per channel; chat.postMessage requests in any 1 s, 429s included; 429 answers)`,
      result: `accepted ${fake.maxPostsPerSecond(FLOOD_CHANNEL)}/s ${FLOOD_CHANNEL}, ${fake.maxPostsPerSecond(QUIET_CHANNEL)}/s ${QUIET_CHANNEL}; requests ${maxInWindow(attempts(FLOOD_CHANNEL))}/s, ${maxInWindow(attempts(QUIET_CHANNEL))}/s; ${fake.rateLimited} × 429${limited.length ? ` (${[...limitedBy].map(([m, n]) => `${n} ${m}`).join(', ')})` : ''}`,
      baseline: `limit ${POSTS_PER_SECOND}/s per channel`,
      target: `≤ ${POSTS_PER_SECOND}/s, no 429`,
      pass: busiest <= POSTS_PER_SECOND && fake.rateLimited === 0,
    },
  ];
}
