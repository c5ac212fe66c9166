// 4. Footprint: the resident memory of one bot process holding 1,000 promotions in flight, and what each
// promotion costs in Redis.
import { performance } from 'node:perf_hooks';
import { statusOf } from '../src/domain/promotion-view.js';
import { createKeys } from '../src/store/keys.js';
import { createPromotionStore } from '../src/store/promotion-store.js';
import { startFakeSlack, TEST_CHANNELS } from '../test/support/fake-slack/index.js';
import { startHttpServer } from '../test/support/http-server.js';
import { nextDigest } from '../test/support/test-bot.js';
import { waitFor } from '../test/support/wait-for.js';
import { createWorkspace } from '../test/support/workspace.js';
import { publishOverHttp } from './bot.js';
import { type BotProcess, startBotProcess } from './bot-process.js';
import type { BenchContext } from './context.js';
import { noopPipeline, numberedServices } from './pipelines.js';
import type { BenchmarkResult } from './report.js';
import { round } from './stats.js';

const PROMOTIONS = 1000;
/** Promotions first run through the process so its code is warm: growth per promotion leaves warm-up out. */
const WARMUP = 50;
const PUBLISHERS = 20;
const SLACK_RATE = 100;
const PREFIX = 'bench-footprint';
const CHANNEL = 'C0DEPLOYS';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
    channels: TEST_CHANNELS,
    postsPerSecondPerChannel: SLACK_RATE,
    // The footprint at scale, not Slack's tiers: those would only stretch the run.
    rateTiers: false,
  });
  const store = createPromotionStore(ctx.redis, createKeys(PREFIX));
  let bot: BotProcess | undefined;
  try {
    const services = numberedServices('svc', WARMUP + PROMOTIONS);
    const file = await workspace.writePipeline(
      noopPipeline({ services, stepUrl: steps.url, channel: CHANNEL, firstPromote: 'manual' }),
    );
    const running = await startBotProcess({
      REDIS_URL: ctx.redisUrl,
      REDIS_PREFIX: PREFIX,
      PIPELINE_FILE: file,
      SLACK_API_URL: fake.apiUrl,
      SLACK_POSTS_PER_SECOND: String(SLACK_RATE),
    });
    bot = running;
    const ids: string[] = [];
    /** Publishes over HTTP like CI, then waits until each waits after development and Slack is quiet. */
    async function publishAndSettle(names: readonly string[]): Promise<number> {
      let next = 0;
      await Promise.all(
        Array.from({ length: PUBLISHERS }, async () => {
          for (let name = names[next++]; name !== undefined; name = names[next++])
            ids.push(
              await publishOverHttp(running.url, { service: name, version: '1.0.0', digest: nextDigest() }),
            );
        }),
      );
      await waitFor('every development deploy', () => deploys >= ids.length, 90_000);
      const waiting = async () => {
        const stored = await Promise.all(ids.map((id) => store.get(id)));
        return stored.filter((s) => s && statusOf(s.promotion.phase) === 'waiting').length;
      };
      // Polled twice a second: the probe reads every promotion and must not load the machine being measured.
      await waitFor(
        'every promotion waiting',
        async () => {
          await sleep(500);
          return (await waiting()) === ids.length;
        },
        60_000,
      ).catch(() => undefined);
      await waitFor('every parent message', () => fake.messages(CHANNEL).length >= ids.length, 60_000).catch(
        () => undefined,
      );
      await waitFor(
        'Slack to be quiet',
        () => Date.now() - (fake.calls.at(-1)?.at ?? 0) > 2000,
        60_000,
      ).catch(() => undefined);
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
    const idle = await memory();
    await publishAndSettle(services.slice(0, WARMUP));
    const warm = await memory();
    const redisBefore = await usedMemory(ctx);
    const keysBefore = await ctx.redis.dbsize();
    const waiting = await publishAndSettle(services.slice(WARMUP));
    const inFlight = await memory();
    const redisAfter = await usedMemory(ctx);
    const keysAfter = await ctx.redis.dbsize();
    const total = WARMUP + PROMOTIONS;
    const mb = (kb: number) => round(kb / 1024, 1);
    return {
      name: '4. Footprint',
      rows: [
        {
          measure: `RSS of one bot process with ${total} promotions in flight`,
          result: `${mb(inFlight.rssKb)} MB (${waiting} of ${total} waiting)`,
          baseline: `${mb(idle.rssKb)} MB idle before any promotion; ${mb(warm.rssKb)} MB with the ${WARMUP} warm-up ones`,
          target: 'none set (reported)',
          ...(waiting === total ? {} : { pass: false }),
        },
        {
          measure: 'V8 heap in use (nodejs_heap_size_used_bytes, garbage not collected)',
          result: `${mb(inFlight.heapKb)} MB with ${total} in flight`,
          baseline: `${mb(idle.heapKb)} MB idle; ${mb(warm.heapKb)} MB with ${WARMUP}`,
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
        `${total} services of three environments; development (one http deploy step to a local no-op server) is \`promote: manual\`, so each promotion deploys once and then waits for /promote: in flight, holding development, with its audit trail, its completed step job, its Slack parent message and thread detail.`,
        `Bot: \`promotion-bot start --role all\` through tsx, its own process (so its RSS includes tsx's loader), LOG_LEVEL=info, Slack on against a fake allowing ${SLACK_RATE} posts/s (SLACK_POSTS_PER_SECOND=${SLACK_RATE}) so every notice is delivered. Published over HTTP by ${PUBLISHERS} concurrent CI clients: ${WARMUP} to warm the process up, then ${PROMOTIONS}.`,
        "RSS is VmRSS from /proc/<pid>/status, the highest of 5 samples over 2.5 s: idle 2 s after /readyz answers, and after each batch once every promotion waits and Slack has been quiet for 2 s. The bot keeps promotions in Redis, not in the process, so the difference between batches is mostly the garbage collector's timing (it can be negative); the heap row says the same with less noise.",
        "Redis: the run's own redis-server, flushed before this benchmark; used_memory around the batch of 1,000 includes BullMQ's completed jobs (kept a day) and the Slack state.",
      ],
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await bot?.stop();
    await fake.close();
    await steps.close();
    await workspace.remove();
  }
}
