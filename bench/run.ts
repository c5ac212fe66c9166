// `npm run bench`: starts a throw-away redis-server, runs each benchmark against its same-run baseline, prints the
// table and writes it to docs/benchmarks.md. `npm run bench -- ack footprint` runs only those and writes nothing.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startRedisServer } from '../test/support/redis-server.js';
import { ackLatency } from './ack-latency.js';
import { killStarted } from './children.js';
import { buildOnce } from './compiled.js';
import type { BenchContext } from './context.js';
import { EPISODES_BUDGET_MS, episodes } from './episodes.js';
import { FAIRNESS_BUDGET_MS, fairness } from './fairness.js';
import { footprint } from './footprint.js';
import { orchestration } from './orchestration.js';
import { reactionTime } from './reaction-time.js';
import { type BenchmarkResult, renderReport } from './report.js';
import { slackEconomy } from './slack-economy.js';

type Benchmark = {
  readonly key: string;
  readonly name: string;
  readonly run: (ctx: BenchContext) => Promise<BenchmarkResult>;
  /** A benchmark bounds its own counts and waits; this is the backstop. */
  readonly budgetMs: number;
  /** It runs the compiled build: the runner runs `npm run build` once, before the first such benchmark. */
  readonly needsBuild?: boolean;
};

const BENCHMARKS: readonly Benchmark[] = [
  { key: 'ack', name: '1. Ack latency', run: ackLatency, budgetMs: 210_000 },
  { key: 'orchestration', name: '2. Orchestration overhead', run: orchestration, budgetMs: 90_000 },
  { key: 'slack', name: '3. Slack economy', run: slackEconomy, budgetMs: 150_000 },
  { key: 'footprint', name: '4. Footprint', run: footprint, budgetMs: 300_000, needsBuild: true },
  { key: 'reaction', name: '5. Reaction time', run: reactionTime, budgetMs: 60_000 },
  { key: 'fairness', name: '6. Fairness', run: fairness, budgetMs: FAIRNESS_BUDGET_MS },
  { key: 'episodes', name: '7. Permanent-error episodes', run: episodes, budgetMs: EPISODES_BUDGET_MS },
];
/**
 * Benchmarks get budgets from this: 9 minutes for the first five, plus the last two's own budgets (the episodes'
 * grows with BENCH_EPISODE_MINUTES); the table is always written 45 s before the whole run's limit.
 */
const BENCHMARKS_MS = 9 * 60_000 + FAIRNESS_BUDGET_MS + EPISODES_BUDGET_MS;
const WHOLE_RUN_MS = BENCHMARKS_MS + 0.75 * 60_000;
const MIN_BUDGET_MS = 20_000;
const OUTPUT = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));

/** The section `npm run bench:soak` wrote (bench/retention-soak.ts): kept when the rest is written again. */
async function soakSection(): Promise<string> {
  const text = await readFile(OUTPUT, 'utf8').catch(() => '');
  const found = /<!-- retention-soak -->[\s\S]*<!-- \/retention-soak -->/.exec(text);
  return found ? `\n\n${found[0]}\n` : '';
}

function withBudget<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} ran over its ${ms / 1000} s budget`)), ms);
  });
  // A benchmark that ran over keeps running until the process exits; its late failure must not crash the run.
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function main(): Promise<number> {
  const only = process.argv.slice(2);
  const selected = BENCHMARKS.filter((b) => only.length === 0 || only.includes(b.key));
  if (selected.length === 0) {
    console.error(`unknown benchmark; choose from ${BENCHMARKS.map((b) => b.key).join(', ')}`);
    return 1;
  }
  const backstop = setTimeout(() => {
    console.error(`the whole run went over ${WHOLE_RUN_MS / 60_000} minutes; stopping`);
    killStarted();
    process.exit(2);
  }, WHOLE_RUN_MS);
  backstop.unref();

  const runStarted = performance.now();
  const loadAtStart = loadavg()[0] ?? 0;
  const server = await startRedisServer();
  const redis = new Redis(server.url, { maxRetriesPerRequest: null });
  const ctx: BenchContext = { redisUrl: server.url, redis };
  const results: BenchmarkResult[] = [];
  let crashed = false;
  try {
    for (const benchmark of selected) {
      const started = performance.now();
      const budgetMs = Math.min(benchmark.budgetMs, BENCHMARKS_MS - (started - runStarted));
      if (budgetMs < MIN_BUDGET_MS) {
        crashed = true;
        results.push({
          name: benchmark.name,
          rows: [{ measure: 'run', result: 'skipped: the run was out of time', pass: false }],
          notes: [],
          seconds: 0,
        });
        continue;
      }
      await redis.flushall();
      console.error(`running ${benchmark.name} …`);
      try {
        if (benchmark.needsBuild) {
          const build = await buildOnce();
          console.error(
            `  npm run build: ${Math.round(build.seconds)} s (not counted in the benchmark's time)`,
          );
        }
        results.push(await withBudget(benchmark.run(ctx), budgetMs, benchmark.name));
      } catch (error) {
        crashed = true;
        const message = error instanceof Error ? error.message : String(error);
        console.error(`${benchmark.name} failed: ${error instanceof Error ? error.stack : message}`);
        results.push({
          name: benchmark.name,
          rows: [{ measure: 'run', result: `failed: ${message.split('\n')[0]}`, pass: false }],
          notes: [],
          seconds: (performance.now() - started) / 1000,
        });
      }
      console.error(`  ${benchmark.name}: ${Math.round((performance.now() - started) / 1000)} s`);
    }
    const info = await redis.info('server');
    const markdown = renderReport(
      results,
      {
        date: new Date().toISOString(),
        nproc: Number(execFileSync('nproc').toString().trim()),
        node: process.version,
        cpu: cpus()[0]?.model ?? 'unknown CPU',
        memoryGb: Math.round(totalmem() / 2 ** 30),
        redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
        load: [loadAtStart, loadavg()[0] ?? 0],
      },
      (performance.now() - runStarted) / 1000,
    );
    console.log(markdown);
    if (only.length === 0) {
      await writeFile(OUTPUT, `${markdown}${await soakSection()}`);
      console.error(`wrote ${OUTPUT}`);
    }
  } finally {
    redis.disconnect();
    await server.stop();
    killStarted();
  }
  return crashed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    killStarted();
    process.exit(1);
  },
);
