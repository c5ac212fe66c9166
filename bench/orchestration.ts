// 2. Orchestration overhead: promotions through a three-environment pipeline whose steps do nothing (an HTTP
// POST to a local server), against raw BullMQ adding and processing the same jobs on the same Redis.
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
import type { BenchmarkResult } from './report.js';
import { mean, median, round } from './stats.js';

export const PROMOTIONS = 150;
/** Promotions (and raw chains) run before timing, so both sides are measured with warm code. */
export const WARMUP = 50;
const SINGLE_RUNS = 5;
/** deploy + one test in each of three environments. */
export const STEPS_PER_PROMOTION = 6;
export const CONCURRENCY = 4;
const TARGET_RATIO = 0.5;
const DEADLINE_MS = 60_000;

type BotMeasure = { batchMs: number; singlesMs: number[]; transitions: number };
type RawMeasure = { chainsMs: number; httpChainsMs: number; singlesMs: number[] };

export async function orchestration(ctx: BenchContext): Promise<BenchmarkResult> {
  const started = performance.now();
  let stepCalls = 0;
  const steps = await startHttpServer((_request, response) => {
    stepCalls += 1;
    response.end('ok');
  });
  const connection = new Redis(ctx.redisUrl, { maxRetriesPerRequest: null });
  try {
    // The baseline runs before and after the bot, and the two are averaged: a machine busier in one half of the
    // run than in the other does not favour either side.
    const before = await measureRaw(connection, steps.url, 'a');
    const bot = await measureBot(ctx, steps.url);
    const after = await measureRaw(connection, steps.url, 'b');
    const rawMs = mean([before.chainsMs, after.chainsMs]);
    const rawHttpMs = mean([before.httpChainsMs, after.httpChainsMs]);
    const jobs = PROMOTIONS * STEPS_PER_PROMOTION;
    const rate = (ms: number) => jobs / (ms / 1000);
    const ratio = rate(bot.batchMs) / rate(rawMs);
    const perTransition = (bot.batchMs - rawMs) / (PROMOTIONS * bot.transitions);
    const singleBot = median(bot.singlesMs);
    const singleRaw = median([...before.singlesMs, ...after.singlesMs]);
    return {
      name: '2. Orchestration overhead',
      rows: [
        {
          measure: `throughput, ${PROMOTIONS} promotions at once (${jobs} step jobs)`,
          result: `${round(rate(bot.batchMs), 0)} jobs/s (${round(PROMOTIONS / (bot.batchMs / 1000), 1)} promotions/s)`,
          baseline: `${round(rate(rawMs), 0)} jobs/s raw BullMQ (${round(rate(before.chainsMs), 0)} before the bot, ${round(rate(after.chainsMs), 0)} after)`,
          target: `≥ ${TARGET_RATIO}× raw`,
          pass: ratio >= TARGET_RATIO,
        },
        {
          measure: 'ratio bot / raw BullMQ',
          result: `${round(ratio, 2)}×`,
          baseline: `${round(rate(bot.batchMs) / rate(rawHttpMs), 2)}× of raw BullMQ whose jobs make the same HTTP call (${round(rate(rawHttpMs), 0)} jobs/s)`,
          target: `≥ ${TARGET_RATIO}`,
          pass: ratio >= TARGET_RATIO,
        },
        {
          measure: `overhead per transition, amortised over the batch (${bot.transitions} transitions per promotion)`,
          result: `${round(perTransition, 2)} ms`,
          baseline: '(bot wall time − raw wall time) / transitions',
        },
        {
          measure: `one promotion alone, publish to released (median of ${SINGLE_RUNS})`,
          result: `${round(singleBot, 0)} ms = ${round((singleBot - singleRaw) / bot.transitions, 1)} ms extra per transition`,
          baseline: `${round(singleRaw, 1)} ms for one raw chain of ${STEPS_PER_PROMOTION} jobs`,
        },
      ],
      notes: [
        `Pipeline: ${PROMOTIONS} services (one promotion each, so neither "one at a time" nor supersede serialises them), three environments, each a deploy and one test step; production is all-at-once with no monitor and no pause. ${STEPS_PER_PROMOTION} step jobs per promotion.`,
        `Steps are \`http\` steps: a POST to a node:http server in the benchmark process that answers 200 at once (${stepCalls} calls in all). Not \`run: /bin/true\`, whose fork+exec would dominate.`,
        `Bot: startBot in the benchmark process, WORKER_CONCURRENCY=${CONCURRENCY}, no Slack (the log notifier at info into /dev/null), production timings; approved with bot.commands.decide as soon as the approval_requested notice arrives. Timed from the first publish to the last \`released\` notice, after ${WARMUP} warm-up promotions and ${SINGLE_RUNS} single ones.`,
        `Baseline: raw BullMQ on the same redis-server, ${PROMOTIONS} chains of ${STEPS_PER_PROMOTION} empty jobs alternating between a \`deploy\` and a \`test\` queue (each a Worker of concurrency ${CONCURRENCY}, the bot's retention options); a job's processor adds the next job of its chain, as a finished step leads the bot to enqueue the next. The second baseline's jobs also make the step's HTTP call, to split the step's cost from the engine's. Run before and after the bot, each after a warm-up run of the same size; the mean is shown.`,
        "Transitions are the entries in a promotion's audit trail (published, each step started and passed, gate requested and decided, released, …).",
      ],
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    connection.disconnect();
    await steps.close();
  }
}

async function measureRaw(connection: Redis, stepsUrl: string, tag: string): Promise<RawMeasure> {
  const options = {
    connection,
    jobsPerChain: STEPS_PER_PROMOTION,
    concurrency: CONCURRENCY,
    deadlineMs: DEADLINE_MS,
  };
  await rawChains({ ...options, prefix: `{bench-raw-${tag}-warm}`, chains: PROMOTIONS });
  const singlesMs: number[] = [];
  for (let run = 0; run < SINGLE_RUNS; run++)
    singlesMs.push(
      (await rawChains({ ...options, prefix: `{bench-raw-${tag}-1-${run}}`, chains: 1 })).wallMs,
    );
  const chains = await rawChains({ ...options, prefix: `{bench-raw-${tag}}`, chains: PROMOTIONS });
  const httpChains = await rawChains({
    ...options,
    prefix: `{bench-raw-${tag}-http}`,
    chains: PROMOTIONS,
    work: async () => {
      await (await fetch(`${stepsUrl}/raw`, { method: 'POST' })).text();
    },
  });
  return { chainsMs: chains.wallMs, httpChainsMs: httpChains.wallMs, singlesMs };
}

type Waiter = { resolve(at: number): void; reject(error: Error): void };

async function measureBot(ctx: BenchContext, stepsUrl: string): Promise<BotMeasure> {
  const workspace = await createWorkspace();
  // Waiters by service: each service has one promotion, and its waiter exists before it is published.
  const waiters = new Map<string, Waiter>();
  let bot: BenchBot | undefined;
  const notifier: Notifier = {
    async notify(promotion, notice) {
      const waiter = waiters.get(promotion.artifact.service);
      if (notice.kind === 'approval_requested') {
        // Approve as soon as it reaches the gate, outside the engine's own call.
        setImmediate(() => {
          bot?.commands.decide(promotion.id, 'approve', { user: APPROVER }).then(
            (result) => {
              if (!result.ok) waiter?.reject(new Error(`approve: ${result.reason}`));
            },
            (error: Error) => waiter?.reject(error),
          );
        });
      }
      if (notice.kind === 'released') waiter?.resolve(performance.now());
      if (notice.kind === 'stage_failed' || notice.kind === 'superseded' || notice.kind === 'held')
        waiter?.reject(new Error(`${promotion.id}: ${notice.kind} ${notice.environment}`));
    },
  };
  const prefix = 'bench-orch';
  const services = numberedServices('svc', PROMOTIONS + WARMUP + SINGLE_RUNS);
  try {
    const file = await workspace.writePipeline(noopPipeline({ services, stepUrl: stepsUrl, tests: true }));
    const running = await startBenchBot({
      redisUrl: ctx.redisUrl,
      prefix,
      pipelineFile: file,
      notifier,
      env: { WORKER_CONCURRENCY: String(CONCURRENCY) },
    });
    bot = running;
    const promote = (names: readonly string[]) =>
      Promise.all(
        names.map(async (service) => {
          const done = new Promise<number>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`${service} not released in time`)), DEADLINE_MS);
            const settle = () => {
              clearTimeout(timer);
              waiters.delete(service);
            };
            waiters.set(service, {
              resolve: (at) => {
                settle();
                resolve(at);
              },
              reject: (error) => {
                settle();
                reject(error);
              },
            });
          });
          const id = await running.publish(service, '1.0.0', nextDigest());
          return { id, done: await done };
        }),
      );

    await promote(services.slice(0, WARMUP));
    const singlesMs: number[] = [];
    for (const service of services.slice(WARMUP, WARMUP + SINGLE_RUNS)) {
      const at = performance.now();
      const [one] = await promote([service]);
      singlesMs.push((one?.done ?? at) - at);
    }
    const batchStart = performance.now();
    const released = await promote(services.slice(WARMUP + SINGLE_RUNS));
    const batchMs = Math.max(...released.map((r) => r.done)) - batchStart;
    const store = createPromotionStore(ctx.redis, createKeys(prefix));
    const transitions = released[0] ? (await store.events(released[0].id)).length : Number.NaN;
    return { batchMs, singlesMs, transitions };
  } finally {
    await bot?.shutdown();
    await workspace.remove();
  }
}
