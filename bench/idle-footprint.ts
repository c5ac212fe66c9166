// The idle half of benchmark 4: the compiled bot (`node dist/cli.js start --role all`) against the bare Bolt app
// (bench/bare-bolt.ts turned into plain JavaScript), both on plain node, each its own process. Two pairs start
// (one bare first, one bot first) and are sampled in turns, just after they start and again once settled: a
// freshly started process still holds its start-up garbage and a young generation grown while loading, which V8
// gives back only after its next full collection, tens of seconds later.
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { freePort } from '../test/support/redis-server.js';
import { type BotProcess, benchSlackEnv, rssKb, startBotProcess } from './bot-process.js';
import { type Script, spawnNode } from './children.js';
import { compileScript } from './compiled.js';
import type { BenchContext } from './context.js';

const PAIRS = 2;
const SAMPLES = 5;
const SAMPLE_GAP_MS = 300;

/** Each process's highest RSS (KiB) over one sampling. */
export type IdleSample = { readonly botKb: number; readonly bareKb: number };

export type IdlePairs = {
  /** When the last process of the pairs answered. */
  readonly startedAt: number;
  /** One sample per pair, SAMPLES turns of one reading of each process. */
  sample(): Promise<IdleSample[]>;
  stop(): Promise<void>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Pair = { readonly bot: BotProcess; readonly bare: Script };

async function samplePair({ bot, bare }: Pair): Promise<IdleSample> {
  let botKb = 0;
  let bareKb = 0;
  for (let i = 0; i < SAMPLES; i++) {
    botKb = Math.max(botKb, await bot.rssKb());
    bareKb = Math.max(bareKb, await rssKb(bare.child.pid ?? 0));
    await sleep(SAMPLE_GAP_MS);
  }
  return { botKb, bareKb };
}

/**
 * Starts PAIRS pairs against the caller's fake Slack; each bot has the caller's pipeline file and its own Redis
 * prefix. They do no work of their own afterwards, whatever else runs on the machine.
 */
export async function startIdlePairs(
  ctx: BenchContext,
  options: { readonly pipelineFile: string; readonly slackApiUrl: string },
): Promise<IdlePairs> {
  const bareScript = await compileScript('bench/bare-bolt.ts');
  const bares: Script[] = [];
  const bots: BotProcess[] = [];
  const startBare = async () => {
    const bare = spawnNode([bareScript], {
      PORT: String(await freePort()),
      ...benchSlackEnv(options.slackApiUrl),
    });
    bares.push(bare);
    await bare.ready;
    return bare;
  };
  const startBot = async (index: number) => {
    const bot = await startBotProcess(
      {
        REDIS_URL: ctx.redisUrl,
        REDIS_PREFIX: `bench-footprint-idle-${index}`,
        PIPELINE_FILE: options.pipelineFile,
        SLACK_API_URL: options.slackApiUrl,
      },
      { build: 'compiled' },
    );
    bots.push(bot);
    return bot;
  };
  const stop = async () => {
    await Promise.all([...bots.map((b) => b.stop()), ...bares.map((b) => b.stop())]);
    await rm(dirname(bareScript), { recursive: true, force: true });
  };
  const pairs: Pair[] = [];
  try {
    for (let index = 0; index < PAIRS; index++) {
      if (index % 2 === 0) {
        const bare = await startBare();
        pairs.push({ bare, bot: await startBot(index) });
      } else {
        const bot = await startBot(index);
        pairs.push({ bot, bare: await startBare() });
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    startedAt: Date.now(),
    async sample() {
      const samples: IdleSample[] = [];
      for (const pair of pairs) samples.push(await samplePair(pair));
      return samples;
    },
    stop,
  };
}
