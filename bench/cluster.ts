// 9. Orchestration on a Redis Cluster: bench/orchestration.ts's workload with the bot split into roles, the API
// and commands in this process and the jobs in `promotion-bot start --role worker` processes, on one redis-server
// and on three Cluster masters, with one worker process and with two: how throughput grows past one Redis.
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { startHttpServer } from '../test/support/http-server.js';
import { startRedisCluster } from '../test/support/redis-topologies.js';
import { nextDigest } from '../test/support/test-bot.js';
import { createWorkspace } from '../test/support/workspace.js';
import { type BenchBot, startBenchBot } from './bot.js';
import { type BotProcess, cpuMs, startBotProcess } from './bot-process.js';
import { spawnScript } from './children.js';
import type { BenchContext } from './context.js';
import { CONCURRENCY, PROMOTIONS, STEPS_PER_PROMOTION, WARMUP } from './orchestration.js';
import { APPROVER, noopPipeline, numberedServices } from './pipelines.js';
import { createReleaseWaiters } from './release-waiters.js';
import type { BenchmarkResult, Row } from './report.js';
import { round } from './stats.js';

const DEADLINE_MS = 60_000;

type Topology = { readonly kind: 'single' | 'cluster'; readonly env: Record<string, string> };
type Measure = {
  readonly topology: Topology['kind'];
  readonly workers: number;
  readonly batchMs: number;
  /** CPU the worker processes and this process used during the batch, in ms. */
  readonly workersCpuMs: number;
  readonly benchCpuMs: number;
  /** Of the whole machine (every core, other work included), busy ms during the batch. */
  readonly machineBusyMs: number;
};

export async function cluster(ctx: BenchContext): Promise<BenchmarkResult> {
  const started = performance.now();
  let stepCalls = 0;
  const steps = await startHttpServer((_request, response) => {
    stepCalls += 1;
    response.end('ok');
  });
  // The workers need a Slack to deliver to (the worker role requires SLACK_BOT_TOKEN): a stand-in process.
  const standin = spawnScript('bench/fake-slack-process.ts', {});
  // Started now, while the single-server topology starts its processes: nothing is timed before both are up.
  const starting = startRedisCluster();
  starting.catch(() => undefined);
  const workspace = await createWorkspace();
  const stopping: Promise<void>[] = [];
  try {
    const slack = JSON.parse(await standin.ready) as { apiUrl: string };
    const single = await measureTopology(
      { ctx, workspace, stepUrl: steps.url, slackApiUrl: slack.apiUrl },
      { kind: 'single', env: {} },
      starting,
    );
    stopping.push(single.stopped);
    const nodes = (await starting).nodes;
    // The cluster's processes start while the single server's stop; its batches wait for them to be gone.
    const clustered = await measureTopology(
      { ctx, workspace, stepUrl: steps.url, slackApiUrl: slack.apiUrl },
      { kind: 'cluster', env: { REDIS_CLUSTER_NODES: nodes } },
      single.stopped,
    );
    stopping.push(clustered.stopped);
    const measures = [...single.measures, ...clustered.measures];
    return {
      name: '9. Orchestration on a Redis Cluster',
      rows: rowsOf(measures),
      notes: notesOf(stepCalls),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await Promise.all(stopping);
    await workspace.remove();
    await starting.then(
      (redisCluster) => redisCluster.stop(),
      () => undefined,
    );
    await standin.stop();
    await steps.close();
  }
}

/**
 * One topology: the web role here and one worker process, a warm-up and a timed batch; then a second worker
 * process joins, and another warm-up and batch (of other services) run on both.
 */
type Setting = {
  readonly ctx: BenchContext;
  readonly workspace: Awaited<ReturnType<typeof createWorkspace>>;
  readonly stepUrl: string;
  readonly slackApiUrl: string;
};

/**
 * Its processes start at once; its batches wait for `before` (what else must be up, or gone, first). Resolves
 * with the measures and a promise that its processes have stopped.
 */
async function measureTopology(
  setting: Setting,
  topology: Topology,
  before: Promise<unknown>,
): Promise<{ measures: Measure[]; stopped: Promise<void> }> {
  const { ctx, workspace, stepUrl, slackApiUrl } = setting;
  const prefix = `bench-cluster-${topology.kind}`;
  const services = numberedServices('svc', 2 * (WARMUP + PROMOTIONS));
  const file = await workspace.writePipeline(noopPipeline({ services, stepUrl, tests: true }));
  const env = {
    REDIS_URL: ctx.redisUrl,
    ...topology.env,
    REDIS_PREFIX: prefix,
    PIPELINE_FILE: file,
    SLACK_API_URL: slackApiUrl,
    WORKER_CONCURRENCY: String(CONCURRENCY),
  };
  const releases = createReleaseWaiters(DEADLINE_MS);
  const workers: BotProcess[] = [];
  let web: BenchBot | undefined;
  try {
    const [first, started] = await Promise.all([
      startBotProcess(env, { role: 'worker' }),
      startBenchBot({ redisUrl: ctx.redisUrl, prefix, pipelineFile: file, role: 'web', env: topology.env }),
    ]);
    web = started;
    workers.push(first);
    const running = started;
    // The engine's notices are the workers' log lines: approve at the gate, and see each promotion released.
    const follow = (worker: BotProcess) => {
      createInterface({ input: worker.stdout }).on('line', (line) => {
        const notice = noticeOf(line);
        if (!notice) return;
        const service = notice.service;
        if (notice.kind === 'approval_requested')
          running.commands.decide(notice.promotionId, 'approve', { user: APPROVER }).then(
            (result) => {
              if (!result.ok) releases.failed(service, new Error(`approve: ${result.reason}`));
            },
            (error: Error) => releases.failed(service, error),
          );
        if (notice.kind === 'released') releases.released(service, performance.now());
        if (notice.kind === 'stage_failed' || notice.kind === 'superseded' || notice.kind === 'held')
          releases.failed(service, new Error(`${notice.promotionId}: ${notice.kind}`));
      });
    };
    const promote = (names: readonly string[]) =>
      Promise.all(
        names.map(async (service) => {
          const done = releases.expect(service);
          await running.publish(service, '1.0.0', nextDigest());
          return done;
        }),
      );
    const batch = async (names: readonly string[]): Promise<Measure> => {
      await promote(names.slice(0, WARMUP));
      const cpuBefore = await Promise.all(workers.map((worker) => cpuMs(worker.pid)));
      const benchBefore = process.cpuUsage();
      const machineBefore = await machineBusyMs();
      const batchStart = performance.now();
      const released = await promote(names.slice(WARMUP));
      const batchMs = Math.max(...released) - batchStart;
      const cpuAfter = await Promise.all(workers.map((worker) => cpuMs(worker.pid)));
      const bench = process.cpuUsage(benchBefore);
      return {
        topology: topology.kind,
        workers: workers.length,
        batchMs,
        workersCpuMs: cpuAfter.reduce((sum, ms, i) => sum + ms - (cpuBefore[i] ?? 0), 0),
        benchCpuMs: (bench.user + bench.system) / 1000,
        machineBusyMs: (await machineBusyMs()) - machineBefore,
      };
    };
    await before;
    follow(first);
    const one = await batch(services.slice(0, WARMUP + PROMOTIONS));
    const second = await startBotProcess(env, { role: 'worker' });
    workers.push(second);
    follow(second);
    const two = await batch(services.slice(WARMUP + PROMOTIONS));
    return { measures: [one, two], stopped: stop() };
  } catch (error) {
    await stop();
    throw error;
  }
  function stop(): Promise<void> {
    return Promise.all([web?.shutdown(), ...workers.map((worker) => worker.stop())]).then(() => undefined);
  }
}

type LoggedNotice = { readonly kind: string; readonly promotionId: string; readonly service: string };

/** A log notifier line (`notice: <kind>`, with the promotion's id and service), or undefined. */
function noticeOf(line: string): LoggedNotice | undefined {
  if (!line.includes('"notice: ')) return undefined;
  try {
    const entry = JSON.parse(line) as { kind?: unknown; promotionId?: unknown; service?: unknown };
    if (typeof entry.kind !== 'string' || typeof entry.promotionId !== 'string') return undefined;
    return { kind: entry.kind, promotionId: entry.promotionId, service: String(entry.service) };
  } catch {
    return undefined;
  }
}

/** Busy time of every core together since boot (user + nice + system + irq + softirq + steal), in ms. */
async function machineBusyMs(): Promise<number> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) * 10;
}

function rowsOf(measures: readonly Measure[]): Row[] {
  const jobs = PROMOTIONS * STEPS_PER_PROMOTION;
  const rate = (m: Measure | undefined) => (m ? jobs / (m.batchMs / 1000) : Number.NaN);
  const find = (topology: Topology['kind'], workers: number) =>
    measures.find((m) => m.topology === topology && m.workers === workers);
  const singleOne = find('single', 1);
  const clusterOne = find('cluster', 1);
  const clusterTwo = find('cluster', 2);
  const gain = rate(clusterTwo) / rate(clusterOne);
  const rows: Row[] = measures.map((m) => ({
    measure: `throughput, ${m.topology === 'cluster' ? 'Cluster of 3 masters' : 'one redis-server'}, ${m.workers} worker process${m.workers > 1 ? 'es' : ''} (${PROMOTIONS} promotions at once, ${jobs} step jobs)`,
    result: `${round(rate(m), 0)} jobs/s (${round(PROMOTIONS / (m.batchMs / 1000), 1)} promotions/s)`,
    baseline: `CPU in the batch: workers ${round(m.workersCpuMs / m.batchMs, 2)} cores, this process ${round(m.benchCpuMs / m.batchMs, 2)}, whole machine ${round(m.machineBusyMs / m.batchMs, 2)} busy`,
  }));
  rows.push({
    measure: 'Cluster, 2 worker processes / 1 worker process',
    result: `${round(gain, 2)}×`,
    baseline: `Cluster / one redis-server with 1 worker: ${round(rate(clusterOne) / rate(singleOne), 2)}×; one redis-server, 2 / 1 workers: ${round(rate(find('single', 2)) / rate(singleOne), 2)}×`,
    target: 'reported (2 shared cores: see the notes)',
  });
  return rows;
}

function notesOf(stepCalls: number): string[] {
  return [
    `Workload: bench/orchestration.ts's (its constants): ${WARMUP} warm-up promotions, then ${PROMOTIONS} at once, one per service, through noopPipeline's three environments of a no-op \`http\` deploy and test each (${STEPS_PER_PROMOTION} step jobs a promotion), approved as soon as the gate is reached; timed from the first publish to the last \`released\` (${stepCalls} step calls in all).`,
    `Roles: \`promotion-bot start --role worker\` child processes (through tsx, WORKER_CONCURRENCY=${CONCURRENCY} each, logs at info to a pipe this process reads) run the jobs; this process runs the web role (startBenchBot with role web: the API and the commands) and publishes and approves through its commands. The workers' log notifier lines are how this process sees a gate reached and a promotion released. The worker role requires a Slack token, so the workers deliver to a stand-in process (bench/fake-slack-process.ts) at SLACK_POSTS_PER_SECOND=1 into one channel: a little paced Slack work, the same in every configuration.`,
    "Topologies, one after another, each on its own REDIS_PREFIX: one redis-server (the run's own), then a Cluster of three masters (test/support/redis-topologies.ts's startRedisCluster, no replicas, REDIS_CLUSTER_NODES). On each, one worker process runs a warm-up and a timed batch; then a second worker process joins, and a warm-up and a timed batch of other services run on both. Two workers also mean twice the job concurrency (2 × 4).",
    "CPU per configuration: the worker processes' user+system time (/proc/<pid>/stat), this process's (process.cpuUsage), and the whole machine's busy time from /proc/stat (other helpers' work included), each divided by the batch's wall time: \"cores\" busy. The machine has 2 cores that the workers, this process (web role, steps, approvals), the Redis servers and the stand-in share, so a second worker process can only help while a core is idle; on this machine the figures show how much more a Cluster carries, not how far it would scale on hosts of their own. So no target is set here: the one worth holding (≥ 1.8× with two worker processes on the Cluster) needs a core for each worker process and each Redis master, which this machine does not have; when \"whole machine\" reads 2, the ratio measures the machine, not the bot.",
  ];
}
