// 4. Footprint of the compiled build (`node dist/cli.js start`, as users run it): idle RSS against the bare Bolt
// app's in the same run, then one bot process holding 10,000 promotions in flight, and what each promotion costs
// in Redis. The runner builds dist/ before this benchmark (bench/compiled.ts).
import { performance } from 'node:perf_hooks';
import type { FakeChannel } from '@promotion-bot/standin/web-api';
import { statusOf } from '../src/domain/promotion-view.js';
import { createKeys } from '../src/store/keys.js';
import { createPromotionStore } from '../src/store/promotion-store.js';
import { startFakeSlack } from '../test/support/fake-slack/index.js';
import { startHttpServer } from '../test/support/http-server.js';
import { nextDigest } from '../test/support/test-bot.js';
import { waitFor } from '../test/support/wait-for.js';
import { createWorkspace } from '../test/support/workspace.js';
import { publishOverHttp } from './bot.js';
import { type BotProcess, startBotProcess } from './bot-process.js';
import type { BenchContext } from './context.js';
import { type IdlePairs, type IdleSample, startIdlePairs } from './idle-footprint.js';
import { noopPipeline, numberedServices } from './pipelines.js';
import type { BenchmarkResult } from './report.js';
import { median, round } from './stats.js';

/** BENCH_FOOTPRINT_PROMOTIONS sets fewer on a machine too loaded to settle 10,000 within the benchmark's budget. */
const PROMOTIONS = Number(process.env.BENCH_FOOTPRINT_PROMOTIONS ?? '10000');
const PROGRESS_EVERY_MS = 10_000;
/** Promotions first run through the process so its code is warm: growth per promotion leaves warm-up out. */
const WARMUP = 50;
const PUBLISHERS = 20;
/** Slack's limit is per channel: the services are dealt out to CHANNELS channels so every notice goes out soon. */
const CHANNELS: readonly FakeChannel[] = Array.from({ length: 20 }, (_, index) => ({
  id: `C0FOOT${String(index).padStart(2, '0')}`,
  name: `footprint-${index}`,
}));
/** The highest SLACK_POSTS_PER_SECOND the bot accepts. */
const SLACK_RATE = 100;
/** The bot's deploy workers: the steps are no-op calls, so more at once only shortens the run. */
const WORKER_CONCURRENCY = 16;
/** Idle: sampled this long after both processes answer, and again once V8 gave start-up memory back. */
const IDLE_FIRST_SAMPLE_MS = 3000;
const IDLE_SETTLED_MS = 60_000;
/** Services in the idle bot's pipeline: a team's, not the 10,000 of the run at scale. */
const IDLE_SERVICES = 20;
const RATIO_TARGET = 1.5;
/** The bot parses and checks its pipeline file before it answers: ten thousand services take seconds. */
const START_WITHIN_MS = 90_000;
const PREFIX = 'bench-footprint';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (kb: number) => round(kb / 1024, 1);

async function usedMemory(ctx: BenchContext): Promise<number> {
  const info = await ctx.redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}

export async function footprint(ctx: BenchContext): Promise<BenchmarkResult> {
  const started = performance.now();
  const workspace = await createWorkspace();
  let deploys = 0;
  const steps = await startHttpServer((_request, response) => {
    deploys += 1;
    response.end('ok');
  });
  const fake = await startFakeSlack({
    channels: CHANNELS,
    postsPerSecondPerChannel: SLACK_RATE,
    // The footprint at scale, not Slack's tiers: those would only stretch the run.
    rateTiers: false,
  });
  const store = createPromotionStore(ctx.redis, createKeys(PREFIX));
  const channelIds = CHANNELS.map((c) => c.id);
  let bot: BotProcess | undefined;
  let idle: IdlePairs | undefined;
  try {
    const idleFile = await workspace.writePipeline(
      noopPipeline({
        services: numberedServices('team', IDLE_SERVICES),
        stepUrl: steps.url,
        channel: channelIds,
        firstPromote: 'manual',
      }),
    );
    idle = await startIdlePairs(ctx, { pipelineFile: idleFile, slackApiUrl: fake.apiUrl });
    await sleep(IDLE_FIRST_SAMPLE_MS);
    const justStarted = await idle.sample();

    const services = numberedServices('svc', WARMUP + PROMOTIONS);
    const file = await workspace.writePipeline(
      noopPipeline({ services, stepUrl: steps.url, channel: channelIds, firstPromote: 'manual' }),
    );
    const running = await startBotProcess(
      {
        REDIS_URL: ctx.redisUrl,
        REDIS_PREFIX: PREFIX,
        PIPELINE_FILE: file,
        SLACK_API_URL: fake.apiUrl,
        SLACK_POSTS_PER_SECOND: String(SLACK_RATE),
        WORKER_CONCURRENCY: String(WORKER_CONCURRENCY),
      },
      { build: 'compiled', readyWithinMs: START_WITHIN_MS },
    );
    bot = running;
    const ids: string[] = [];
    /**
     * Publishes over HTTP like CI, then waits until each waits after development, and, for `delivered`, until
     * every parent message is in Slack and Slack is quiet.
     */
    async function publishAndSettle(
      names: readonly string[],
      slack: 'delivered' | 'queued',
    ): Promise<number> {
      const progress = setInterval(() => {
        console.error(
          `  footprint: ${ids.length} published, ${deploys} deployed, ${fake.messages().length} parent messages`,
        );
      }, PROGRESS_EVERY_MS);
      try {
        return await settle(names, slack);
      } finally {
        clearInterval(progress);
      }
    }
    async function settle(names: readonly string[], slack: 'delivered' | 'queued'): Promise<number> {
      let next = 0;
      await Promise.all(
        Array.from({ length: PUBLISHERS }, async () => {
          for (let name = names[next++]; name !== undefined; name = names[next++])
            ids.push(
              await publishOverHttp(running.url, { service: name, version: '1.0.0', digest: nextDigest() }),
            );
        }),
      );
      await waitFor('every development deploy', () => deploys >= ids.length, 180_000);
      const waiting = async () => {
        const stored = await Promise.all(ids.map((id) => store.get(id)));
        return stored.filter((s) => s && statusOf(s.promotion.phase) === 'waiting').length;
      };
      // Polled every 2 s: the probe reads every promotion and must not load the machine being measured.
      await waitFor(
        'every promotion waiting',
        async () => {
          await sleep(2000);
          return (await waiting()) === ids.length;
        },
        120_000,
      ).catch(() => undefined);
      if (slack === 'delivered') {
        await waitFor('every parent message', () => fake.messages().length >= ids.length, 60_000);
        await waitFor('Slack to be quiet', () => Date.now() - (fake.calls.at(-1)?.at ?? 0) > 2000, 60_000);
      }
      return waiting();
    }
    /** RSS in KiB, the highest of 5 samples over 2.5 s, and the V8 heap in use then (from the bot's /metrics). */
    async function memory(): Promise<{ rssKb: number; heapKb: number }> {
      const samples: number[] = [];
      for (let i = 0; i < 5; i++) {
        samples.push(await running.rssKb());
        await sleep(500);
      }
      const metrics = await (await fetch(`${running.url}/metrics`)).text();
      const heap = Number(/^nodejs_heap_size_used_bytes (\S+)$/m.exec(metrics)?.[1] ?? Number.NaN);
      return { rssKb: Math.max(...samples), heapKb: heap / 1024 };
    }

    await sleep(2000);
    const loaded = await memory();
    await publishAndSettle(services.slice(0, WARMUP), 'delivered');
    const warm = await memory();
    const redisBefore = await usedMemory(ctx);
    const keysBefore = await ctx.redis.dbsize();
    const batchStarted = performance.now();
    const waiting = await publishAndSettle(services.slice(WARMUP), 'queued');
    const batchSeconds = (performance.now() - batchStarted) / 1000;
    const inFlight = await memory();
    const redisAfter = await usedMemory(ctx);
    const keysAfter = await ctx.redis.dbsize();
    const total = WARMUP + PROMOTIONS;
    await sleep(Math.max(0, idle.startedAt + IDLE_SETTLED_MS - Date.now()));
    const settled = await idle.sample();
    const botIdleKb = median(settled.map((r) => r.botKb));
    const bareIdleKb = median(settled.map((r) => r.bareKb));
    const ratio = botIdleKb / bareIdleKb;
    const each = (samples: readonly IdleSample[], which: keyof IdleSample) =>
      samples.map((r) => mb(r[which])).join(', ');
    const delivered = fake.messages().length;
    const posts = fake.callsTo('chat.postMessage').length;
    const updates = fake.callsTo('chat.update').length;
    return {
      name: '4. Footprint',
      rows: [
        {
          measure: `Idle RSS of the compiled bot (\`node dist/cli.js start --role all\`, ${IDLE_SERVICES} services), settled (${IDLE_SETTLED_MS / 1000} s after start); median of ${settled.length} processes`,
          result: `${mb(botIdleKb)} MB, ${round(ratio, 2)}× the bare app's (each: ${each(settled, 'botKb')}; ${IDLE_FIRST_SAMPLE_MS / 1000} s after start: ${each(justStarted, 'botKb')})`,
          baseline: `bare Bolt app ${mb(bareIdleKb)} MB (each: ${each(settled, 'bareKb')}; ${IDLE_FIRST_SAMPLE_MS / 1000} s after start: ${each(justStarted, 'bareKb')})`,
          target: `≤ ${RATIO_TARGET}× the bare app's`,
          pass: ratio <= RATIO_TARGET,
        },
        {
          measure: `RSS of one bot process with ${total} promotions in flight`,
          result: `${mb(inFlight.rssKb)} MB (${waiting} of ${total} waiting)`,
          baseline: `${mb(loaded.rssKb)} MB idle with the ${total}-service pipeline loaded; ${mb(warm.rssKb)} MB with the ${WARMUP} warm-up ones`,
          target: `${total} in flight`,
          pass: waiting === total,
        },
        {
          measure: 'V8 heap in use (nodejs_heap_size_used_bytes, garbage not collected)',
          result: `${mb(inFlight.heapKb)} MB with ${total} in flight`,
          baseline: `${mb(loaded.heapKb)} MB idle; ${mb(warm.heapKb)} MB with ${WARMUP}`,
          target: 'none set (reported)',
        },
        {
          measure: `Redis memory per promotion (INFO used_memory after − before the last ${PROMOTIONS}) / ${PROMOTIONS}`,
          result: `${round((redisAfter - redisBefore) / PROMOTIONS / 1024, 2)} KB; ${round((keysAfter - keysBefore) / PROMOTIONS, 1)} keys`,
          baseline: `${round(redisBefore / 2 ** 20, 1)} MB before, ${round(redisAfter / 2 ** 20, 1)} MB after`,
          target: 'none set (reported)',
        },
      ],
      notes: [
        `Idle: both on plain node, the bot as \`node dist/cli.js start --role all\` from this run's \`npm run build\` (the runner builds first and fails this benchmark if the build fails or writes no dist/cli.js), the bare Bolt app (bench/bare-bolt.ts) with its types stripped to an .mjs file. ${settled.length} pairs start together before the run at scale (one bare app first, one bot first) against the same fake Slack and stay idle through it: no requests, the bots with ${IDLE_SERVICES} services, their own Redis prefix, LOG_LEVEL=info. Each figure is a process's highest VmRSS of 5 samples taken in turns 0.3 s apart. The target is on the settled figure: just after start a process still holds its start-up garbage and a young generation grown while loading, which V8 gives back at its next full collection (about 45 s after start here); the bare app loads little and allocates nothing, so it has little to give back.`,
        `At scale: ${total} services of three environments; development (one http deploy step to a local no-op server) is \`promote: manual\`, so each promotion deploys once and then waits for /promote: in flight, holding development, with its audit trail, its completed step job, its Slack parent message and thread detail. Published over HTTP by ${PUBLISHERS} concurrent CI clients: ${WARMUP} to warm the process up, then ${PROMOTIONS} (published and settled in ${round(batchSeconds, 1)} s), WORKER_CONCURRENCY=${WORKER_CONCURRENCY}.`,
        `Slack: a fake allowing ${SLACK_RATE} posts/s per channel, the bot at SLACK_POSTS_PER_SECOND=${SLACK_RATE} with the services dealt out to ${CHANNELS.length} channels. The bot also keeps to Slack's workspace-wide ceiling of chat.postMessage (300 a minute, most of it for routine notices: src/slack/notifier/method-limits.ts), so ${PROMOTIONS} parent messages take the better part of an hour in any workspace: the warm-up's are waited for, the batch's are measured queued (their pending Slack state in Redis, ${delivered} of ${total} parent messages delivered when measured; ${posts} chat.postMessage and ${updates} chat.update calls by then).`,
        "RSS is VmRSS from /proc/<pid>/status, the highest of 5 samples over 2.5 s: 2 s after /readyz answers (the pipeline parsed), after the warm-up once its promotions wait and Slack has been quiet for 2 s, and after the batch once every promotion waits. The bot keeps promotions in Redis, not in the process, so the difference between batches is mostly the garbage collector's timing (it can be negative); the heap row says the same with less noise. The idle row before it is the bot with a small pipeline: with the 10,000-service file the process first parses a 6 MB YAML document, and its RSS keeps what that took.",
        `Redis: the run's own redis-server, flushed before this benchmark; used_memory around the batch of ${PROMOTIONS} includes BullMQ's completed jobs (kept a day) and the Slack state.`,
      ],
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await idle?.stop();
    await bot?.stop();
    await fake.close();
    await steps.close();
    await workspace.remove();
  }
}
