// `npm run bench`: starts a throw-away redis-server, runs each benchmark against its same-run baseline, prints the
// table and writes it to docs/benchmarks.md. `npm run bench -- ack footprint` runs only those and writes nothing.
// `npm run bench:episodes` (`-- --part episodes`) runs a separate part, too long for the main run, and writes its
// own section of the same file.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { startRedisServer } from '../test/support/redis-server.js';
import { ackLatency } from './ack-latency.js';
import { killStarted } from './children.js';
import { cluster } from './cluster.js';
import { buildOnce } from './compiled.js';
import type { BenchContext } from './context.js';
import { EPISODES_BUDGET_MS, episodes } from './episodes.js';
import { FAIRNESS_BUDGET_MS, fairness } from './fairness.js';
import { feltLatency } from './felt-latency.js';
import { footprint } from './footprint.js';
import { orchestration } from './orchestration.js';
import { reactionTime } from './reaction-time.js';
import { type BenchmarkResult, type ReportHeading, renderReport } from './report.js';
import { BENCHMARKS_FILE, writeMainTable, writeSection } from './sections.js';
import { slackEconomy } from './slack-economy.js';

type Benchmark = {
  readonly key: string;
  readonly name: string;
  readonly run: (ctx: BenchContext) => Promise<BenchmarkResult>;
  /** A benchmark bounds its own counts and waits; this is the backstop. */
  readonly budgetMs: number;
  /** A separate part, left out of `npm run bench` (which should take about 5 minutes) and run on its own. */
  readonly part?: string;
  /** It runs the compiled build: the runner runs `npm run build` once, before the first such benchmark. */
  readonly needsBuild?: boolean;
};

/** Backstops: about 30 s (latency) and 35 s (cluster) on a quiet machine, 50 s and 120 s seen at load 15. */
const LATENCY_BUDGET_MS = 120_000;
const CLUSTER_BUDGET_MS = 180_000;

const BENCHMARKS: readonly Benchmark[] = [
  { key: 'ack', name: '1. Ack latency', run: ackLatency, budgetMs: 210_000 },
  { key: 'orchestration', name: '2. Orchestration overhead', run: orchestration, budgetMs: 90_000 },
  { key: 'slack', name: '3. Slack economy', run: slackEconomy, budgetMs: 150_000 },
  {
    key: 'footprint',
    name: '4. Footprint',
    run: footprint,
    budgetMs: 300_000,
    needsBuild: true,
    part: 'footprint',
  },
  { key: 'reaction', name: '5. Reaction time', run: reactionTime, budgetMs: 60_000 },
  { key: 'fairness', name: '6. Fairness', run: fairness, budgetMs: FAIRNESS_BUDGET_MS },
  {
    key: 'episodes',
    name: '7. Permanent-error episodes',
    run: episodes,
    budgetMs: EPISODES_BUDGET_MS,
    part: 'episodes',
  },
  { key: 'latency', name: '8. Felt latency', run: feltLatency, budgetMs: LATENCY_BUDGET_MS },
  { key: 'cluster', name: '9. Orchestration on a Redis Cluster', run: cluster, budgetMs: CLUSTER_BUDGET_MS },
];
/** The table is always written this long before the whole run's limit. */
const WRITING_MS = 45_000;
const MIN_BUDGET_MS = 20_000;

const PART_HEADINGS: Readonly<Record<string, ReportHeading>> = {
  footprint: {
    level: 2,
    title: 'Footprint of the compiled build (`npm run bench:footprint`)',
    intro: [
      'Written by `npm run bench:footprint`, a separate part: it builds dist/, then holds 10,000 promotions in one',
      'bot process, which takes a few minutes on its own.',
    ],
  },
  episodes: {
    level: 2,
    title: 'Permanent-error episodes (`npm run bench:episodes`)',
    intro: [
      'Written by `npm run bench:episodes`, a separate part: its episodes last BENCH_EPISODE_MINUTES (default 10),',
      'twice what the rest of `npm run bench` takes.',
    ],
  },
};

type Selection = { readonly benchmarks: readonly Benchmark[]; readonly writes: 'main' | 'part' | 'nothing' };

function select(args: readonly string[]): Selection | string {
  const names = BENCHMARKS.map((b) => b.key).join(', ');
  if (args[0] === '--part') {
    const part = args[1] ?? '';
    const benchmarks = BENCHMARKS.filter((b) => b.part === part);
    return benchmarks.length > 0 && PART_HEADINGS[part]
      ? { benchmarks, writes: 'part' }
      : `unknown part "${part}"`;
  }
  if (args.length === 0)
    return { benchmarks: BENCHMARKS.filter((b) => b.part === undefined), writes: 'main' };
  const unknown = args.filter((key) => !BENCHMARKS.some((b) => b.key === key));
  if (unknown.length > 0) return `unknown benchmark ${unknown.join(', ')}; choose from ${names}`;
  return { benchmarks: BENCHMARKS.filter((b) => args.includes(b.key)), writes: 'nothing' };
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
  const args = process.argv.slice(2);
  const selection = select(args);
  if (typeof selection === 'string') {
    console.error(selection);
    return 1;
  }
  const selected = selection.benchmarks;
  const benchmarksMs = selected.reduce((sum, b) => sum + b.budgetMs, 0);
  const wholeRunMs = benchmarksMs + WRITING_MS;
  const backstop = setTimeout(() => {
    console.error(`the whole run went over ${Math.round(wholeRunMs / 60_000)} minutes; stopping`);
    killStarted();
    process.exit(2);
  }, wholeRunMs);
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
      const budgetMs = Math.min(benchmark.budgetMs, benchmarksMs - (started - runStarted));
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
    const part = selected[0]?.part;
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
      part === undefined ? undefined : PART_HEADINGS[part],
    );
    console.log(markdown);
    if (selection.writes === 'main') await writeMainTable(markdown);
    if (selection.writes === 'part' && part !== undefined) await writeSection(part, markdown);
    if (selection.writes !== 'nothing') console.error(`wrote ${BENCHMARKS_FILE}`);
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
