// 2. Orchestration overhead: promotions through a three-environment pipeline whose steps do nothing (an HTTP
// POST to a local server), against raw BullMQ adding and processing the same jobs on the same Redis, with and
// without the same HTTP call. Bot and baseline rounds alternate, so a machine busier in one stretch of the run
// favours neither.
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import type { Notifier } from '../src/engine/ports.js';
import { createKeys } from '../src/store/keys.js';
import { createPromotionStore } from '../src/store/promotion-store.js';
import { startHttpServer } from '../test/support/http-server.js';
import { nextDigest } from '../test/support/test-bot.js';
import { createWorkspace } from '../test/support/workspace.js';
import { type BenchBot, startBenchBot } from './bot.js';
import type { BenchContext } from './context.js';
import { APPROVER, noopPipeline, numberedServices } from './pipelines.js';
import { rawChains } from './raw-bullmq.js';
import { createReleaseWaiters } from './release-waiters.js';
import type { BenchmarkResult } from './report.js';
import { countRoundTrips, formatRoundTrips, type RoundTrips } from './round-trips.js';
import { mean, median, round } from './stats.js';

export const PROMOTIONS = 150;
/** Promotions (and raw chains) run before timing, so both sides are measured with warm code. */
export const WARMUP = 50;
const SINGLE_RUNS = 5;
/** Timed batches of the bot, each followed by a baseline round (one more runs before the first). */
const BOT_ROUNDS = 2;
/** deploy + one test in each of three environments. */
export const STEPS_PER_PROMOTION = 6;
export const CONCURRENCY = 4;
/** Throughput at least this share of raw BullMQ's whose jobs make the same HTTP call. */
const TARGET_RATIO = 0.5;
/** The bot's wall time over raw BullMQ's (with the same HTTP call), per transition, at most this. */
const TARGET_EXTRA_MS = 1;
const DEADLINE_MS = 60_000;
const PREFIX = 'bench-orch';

export type BotMeasure = {
  /** Wall time of each timed batch of PROMOTIONS, in order. */
  batchesMs: number[];
  /** CPU time this process spent on each batch (the bot runs in it; so does the steps' HTTP server). */
  batchesCpuMs: number[];
  singlesMs: number[];
  transitions: number;
  /** Sent by the bot for one promotion alone, publish to released. */
  roundTrips: RoundTrips;
};
export type RawMeasure = {
  chainsMs: number;
  httpChainsMs: number;
  /** CPU time this process spent on the chains making the HTTP call (the server's side included). */
  httpChainsCpuMs: number;
  singlesMs: number[];
  httpSinglesMs: number[];
};

export async function orchestration(ctx: BenchContext): Promise<BenchmarkResult> {
  const started = performance.now();
  let stepCalls = 0;
  const steps = await startHttpServer((_request, response) => {
    stepCalls += 1;
    response.end('ok');
  });
  const connection = new Redis(ctx.redisUrl, { maxRetriesPerRequest: null });
  try {
    const raws = [await measureRaw(connection, steps.url, 'r0')];
    const bot = await measureBot(ctx, steps.url, async (round) => {
      raws.push(await measureRaw(connection, steps.url, `r${round + 1}`));
    });
    const rawTrips = await rawRoundTrips(ctx, connection, steps.url);
    const jobs = PROMOTIONS * STEPS_PER_PROMOTION;
    const rate = (ms: number) => jobs / (ms / 1000);
    const rates = (values: readonly number[]) => values.map((ms) => round(rate(ms), 0)).join(' / ');
    const botMs = mean(bot.batchesMs);
    const rawMs = mean(raws.map((raw) => raw.chainsMs));
    const rawHttpMs = mean(raws.map((raw) => raw.httpChainsMs));
    const ratio = rawHttpMs / botMs;
    const transitions = PROMOTIONS * bot.transitions;
    const extra = (botMs - rawHttpMs) / transitions;
    const singleBot = median(bot.singlesMs);
    const singleRaw = median(raws.flatMap((raw) => raw.singlesMs));
    const singleRawHttp = median(raws.flatMap((raw) => raw.httpSinglesMs));
    const singleExtra = (singleBot - singleRawHttp) / bot.transitions;
    const botCpu = mean(bot.batchesCpuMs) / PROMOTIONS;
    const rawCpu = mean(raws.map((raw) => raw.httpChainsCpuMs)) / PROMOTIONS;
    return {
      name: '2. Orchestration overhead',
      rows: [
        {
          measure: `throughput, ${PROMOTIONS} promotions at once (${jobs} step jobs): ratio bot / raw BullMQ whose jobs make the same HTTP call`,
          result: `${round(ratio, 2)}×: ${round(rate(botMs), 0)} jobs/s (${round(PROMOTIONS / (botMs / 1000), 1)} promotions/s; rounds ${rates(bot.batchesMs)})`,
          baseline: `${round(rate(rawHttpMs), 0)} jobs/s raw BullMQ + HTTP (rounds ${rates(raws.map((raw) => raw.httpChainsMs))})`,
          target: `≥ ${TARGET_RATIO}×`,
          pass: ratio >= TARGET_RATIO,
        },
        {
          measure: `extra per transition, amortised over the batch (${bot.transitions} transitions per promotion)`,
          result: `${round(extra, 2)} ms`,
          baseline: '(bot wall time − raw BullMQ + HTTP wall time) / transitions',
          target: `≤ ${TARGET_EXTRA_MS} ms`,
          pass: extra <= TARGET_EXTRA_MS,
        },
        {
          measure: `one promotion alone, publish to released (median of ${SINGLE_RUNS}): extra per transition`,
          result: `${round(singleExtra, 2)} ms (${round(singleBot, 1)} ms in all)`,
          baseline: `${round(singleRawHttp, 1)} ms for one raw chain of ${STEPS_PER_PROMOTION} jobs making the HTTP call`,
          target: `≤ ${TARGET_EXTRA_MS} ms`,
          pass: singleExtra <= TARGET_EXTRA_MS,
        },
        {
          measure: 'Redis round trips, one promotion alone',
          result: `${bot.roundTrips.total} = ${round(bot.roundTrips.total / bot.transitions, 1)} per transition (${formatRoundTrips(bot.roundTrips)})`,
          baseline: `${rawTrips.total} for one raw chain = ${round(rawTrips.total / STEPS_PER_PROMOTION, 1)} per job (${formatRoundTrips(rawTrips)})`,
        },
        {
          measure: 'CPU of the benchmark process per promotion, in the batch',
          result: `${round(botCpu, 1)} ms = ${round((botCpu - rawCpu) / bot.transitions, 2)} ms extra per transition`,
          baseline: `${round(rawCpu, 1)} ms per raw chain making the HTTP call`,
        },
        {
          measure: 'for reference: raw BullMQ without the HTTP call',
          result: `bot / raw ${round(rawMs / botMs, 2)}×; ${round((botMs - rawMs) / transitions, 2)} ms extra per transition amortised, ${round((singleBot - singleRaw) / bot.transitions, 2)} ms alone`,
          baseline: `${round(rate(rawMs), 0)} jobs/s (rounds ${rates(raws.map((raw) => raw.chainsMs))}); ${round(singleRaw, 1)} ms for one chain`,
        },
      ],
      notes: [
        `Pipeline: ${PROMOTIONS} services (one promotion each, so neither "one at a time" nor supersede serialises them), three environments, each a deploy and one test step; production is all-at-once with no monitor and no pause. ${STEPS_PER_PROMOTION} step jobs per promotion.`,
        `Steps are \`http\` steps: a POST to a node:http server in the benchmark process that answers 200 at once (${stepCalls} calls in all). Not \`run: /bin/true\`, whose fork+exec would dominate.`,
        `Bot: startBot in the benchmark process, WORKER_CONCURRENCY=${CONCURRENCY}, no Slack (the log notifier at info into /dev/null), production timings; approved with bot.commands.decide as soon as the approval_requested notice arrives. Each of ${BOT_ROUNDS} batches is timed from the first publish to the last \`released\` notice, after ${WARMUP} warm-up promotions and ${SINGLE_RUNS} single ones; the mean is used.`,
        `Baseline: raw BullMQ on the same redis-server, ${PROMOTIONS} chains of ${STEPS_PER_PROMOTION} jobs alternating between a \`deploy\` and a \`test\` queue (each a Worker of concurrency ${CONCURRENCY}, the bot's retention options); a job's processor adds the next job of its chain, as a finished step leads the bot to enqueue the next. The targets compare against the chains whose jobs also make the step's HTTP call (with fetch, as the bot's step does); empty jobs are shown for reference. A baseline round (a warm-up run, ${SINGLE_RUNS} single chains of each kind, then the timed runs) goes before the bot's first batch and after each; the mean is shown.`,
        "Transitions are the entries in a promotion's audit trail (published, each step started and passed, gate requested and decided, released, …).",
        "CPU: process.cpuUsage() of the benchmark process over the batch (user + system; the steps' HTTP server runs in it for both sides; Redis is another process). Less sensitive than wall time to other work on the machine.",
        "Round trips: the commands clients sent while one more promotion (or raw chain with the HTTP call) ran alone, counted by MONITOR (a MULTI … EXEC as one; what a Lua script does inside Redis is not a round trip). The bot's include BullMQ's own (adding, taking and finishing each job, its workers' blocking waits); commands naming another service (the periodic sweep) are left out. Not timed.",
      ],
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    connection.disconnect();
    await steps.close();
  }
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

/** The step's HTTP call, made the way the bot's http step makes it (fetch, body read). */
function httpWork(stepsUrl: string): () => Promise<void> {
  return async () => {
    await (await fetch(`${stepsUrl}/raw`, { method: 'POST' })).text();
  };
}

function rawOptions(connection: Redis) {
  return { connection, jobsPerChain: STEPS_PER_PROMOTION, concurrency: CONCURRENCY, deadlineMs: DEADLINE_MS };
}

/** One baseline round: a warm-up, single chains with and without the HTTP call, then a batch of each. */
export async function measureRaw(connection: Redis, stepsUrl: string, tag: string): Promise<RawMeasure> {
  const options = rawOptions(connection);
  const work = httpWork(stepsUrl);
  await rawChains({ ...options, prefix: `{bench-raw-${tag}-warm}`, chains: PROMOTIONS, work });
  const singlesMs: number[] = [];
  const httpSinglesMs: number[] = [];
  for (let run = 0; run < SINGLE_RUNS; run++) {
    const plain = await rawChains({ ...options, prefix: `{bench-raw-${tag}-1-${run}}`, chains: 1 });
    singlesMs.push(plain.wallMs);
    const http = await rawChains({ ...options, prefix: `{bench-raw-${tag}-1h-${run}}`, chains: 1, work });
    httpSinglesMs.push(http.wallMs);
  }
  const chains = await rawChains({ ...options, prefix: `{bench-raw-${tag}}`, chains: PROMOTIONS });
  const cpu = process.cpuUsage();
  const httpChains = await rawChains({
    ...options,
    prefix: `{bench-raw-${tag}-http}`,
    chains: PROMOTIONS,
    work,
  });
  return {
    chainsMs: chains.wallMs,
    httpChainsMs: httpChains.wallMs,
    httpChainsCpuMs: cpuMsSince(cpu),
    singlesMs,
    httpSinglesMs,
  };
}

/** What one raw chain making the HTTP call sends to Redis, running alone. */
async function rawRoundTrips(ctx: BenchContext, connection: Redis, stepsUrl: string): Promise<RoundTrips> {
  const options = { ...rawOptions(connection), prefix: '{bench-raw-trips}', work: httpWork(stepsUrl) };
  let trips: RoundTrips | undefined;
  // Counted from the first add to the last job done: the workers' connecting and closing are not the chain's.
  await rawChains({
    ...options,
    chains: 1,
    around: async (chains) => {
      trips = await countRoundTrips(ctx.redisUrl, chains);
    },
  });
  if (!trips) throw new Error('the raw chain was not counted');
  return trips;
}

/**
 * The bot in this process: warm-up promotions, single ones, then BOT_ROUNDS timed batches of PROMOTIONS, each
 * followed by `between(round)` (the baseline's round), and one more promotion alone whose round trips are counted.
 */
export async function measureBot(
  ctx: BenchContext,
  stepsUrl: string,
  between: (round: number) => Promise<void> = async () => undefined,
): Promise<BotMeasure> {
  const workspace = await createWorkspace();
  const releases = createReleaseWaiters(DEADLINE_MS);
  let bot: BenchBot | undefined;
  const notifier: Notifier = {
    async notify(promotion, notice) {
      const service = promotion.artifact.service;
      if (notice.kind === 'approval_requested') {
        // Approve as soon as it reaches the gate, outside the engine's own call.
        setImmediate(() => {
          bot?.commands.decide(promotion.id, 'approve', { user: APPROVER }).then(
            (result) => {
              if (!result.ok) releases.failed(service, new Error(`approve: ${result.reason}`));
            },
            (error: Error) => releases.failed(service, error),
          );
        });
      }
      if (notice.kind === 'released') releases.released(service, performance.now());
      if (notice.kind === 'stage_failed' || notice.kind === 'superseded' || notice.kind === 'held')
        releases.failed(service, new Error(`${promotion.id}: ${notice.kind} ${notice.environment}`));
    },
  };
  const services = numberedServices('svc', WARMUP + SINGLE_RUNS + BOT_ROUNDS * PROMOTIONS + 1);
  try {
    const file = await workspace.writePipeline(noopPipeline({ services, stepUrl: stepsUrl, tests: true }));
    const running = await startBenchBot({
      redisUrl: ctx.redisUrl,
      prefix: PREFIX,
      pipelineFile: file,
      notifier,
      env: { WORKER_CONCURRENCY: String(CONCURRENCY) },
    });
    bot = running;
    const promote = (names: readonly string[]) =>
      Promise.all(
        names.map(async (service) => {
          const done = releases.expect(service);
          const id = await running.publish(service, '1.0.0', nextDigest());
          return { id, done: await done };
        }),
      );

    // Each promotion has a service of its own, taken in turn.
    const unused = [...services];
    const take = (count: number) => unused.splice(0, count);
    await promote(take(WARMUP));
    const singlesMs: number[] = [];
    for (const service of take(SINGLE_RUNS)) {
      const at = performance.now();
      const [one] = await promote([service]);
      singlesMs.push((one?.done ?? at) - at);
    }
    const batchesMs: number[] = [];
    const batchesCpuMs: number[] = [];
    let firstId: string | undefined;
    for (let round = 0; round < BOT_ROUNDS; round++) {
      const batchStart = performance.now();
      const cpu = process.cpuUsage();
      const released = await promote(take(PROMOTIONS));
      batchesMs.push(Math.max(...released.map((r) => r.done)) - batchStart);
      batchesCpuMs.push(cpuMsSince(cpu));
      firstId ??= released[0]?.id;
      await between(round);
    }
    const [counted] = take(1);
    // Another service's keys in a command: the sweep, which visits every service every few seconds.
    const otherService = (args: readonly string[]) =>
      args.some((arg) => arg.includes('{svc:') && !arg.includes(`{svc:${counted}}`));
    const roundTrips = await countRoundTrips(
      ctx.redisUrl,
      async () => {
        await promote(counted ? [counted] : []);
      },
      (args) => !otherService(args),
    );
    const store = createPromotionStore(ctx.redis, createKeys(PREFIX));
    const transitions = firstId ? (await store.events(firstId)).length : Number.NaN;
    return { batchesMs, batchesCpuMs, singlesMs, transitions, roundTrips };
  } finally {
    await bot?.shutdown();
    await workspace.remove();
  }
}
