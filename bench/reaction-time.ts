// 5. Reaction time: from a metric breach becoming visible (the fake Prometheus starts answering a bad value) to
// the rollback step starting (its HTTP request arriving), against interval × failureLimit.
import { performance } from 'node:perf_hooks';
import type { Notifier } from '../src/engine/ports.js';
import { createKeys } from '../src/store/keys.js';
import { createPromotionStore } from '../src/store/promotion-store.js';
import { startFakePrometheus } from '../test/support/fake-prometheus.js';
import { startHttpServer } from '../test/support/http-server.js';
import { nextDigest } from '../test/support/test-bot.js';
import { waitFor } from '../test/support/wait-for.js';
import { createWorkspace } from '../test/support/workspace.js';
import { type BenchBot, startBenchBot } from './bot.js';
import type { BenchContext } from './context.js';
import { APPROVER, noopPipeline, numberedServices } from './pipelines.js';
import type { BenchmarkResult } from './report.js';
import { max, median, min, round } from './stats.js';

const REPEATS = 7;
const INTERVAL_MS = 500;
const FAILURE_LIMIT = 3;
const BUDGET_MS = INTERVAL_MS * FAILURE_LIMIT;
const HEALTHY_CHECKS = 2;
const PREFIX = 'bench-reaction';

export async function reactionTime(ctx: BenchContext): Promise<BenchmarkResult> {
  const started = performance.now();
  const workspace = await createWorkspace();
  const prometheus = await startFakePrometheus();
  const rollbacks = new Map<string, number>();
  const steps = await startHttpServer((request, response) => {
    const url = new URL(request.url, 'http://127.0.0.1');
    if (url.pathname.endsWith('/rollback')) rollbacks.set(url.searchParams.get('service') ?? '', Date.now());
    response.end('ok');
  });
  let bot: BenchBot | undefined;
  const notifier: Notifier = {
    async notify(promotion, notice) {
      if (notice.kind === 'approval_requested')
        setImmediate(() => void bot?.commands.decide(promotion.id, 'approve', { user: APPROVER }));
    },
  };
  try {
    const services = numberedServices('react', REPEATS);
    const file = await workspace.writePipeline(
      noopPipeline({
        services,
        stepUrl: steps.url,
        production: {
          prometheusUrl: prometheus.url,
          interval: `${INTERVAL_MS}ms`,
          failureLimit: FAILURE_LIMIT,
        },
      }),
    );
    bot = await startBenchBot({ redisUrl: ctx.redisUrl, prefix: PREFIX, pipelineFile: file, notifier });
    const store = createPromotionStore(ctx.redis, createKeys(PREFIX));
    const toStep: number[] = [];
    const toAudit: number[] = [];
    const checksSeen: number[] = [];
    // When each check's query reached the fake Prometheus, sampled every 2 ms: the cadence the monitor keeps.
    const checkTimes: number[] = [];
    let seen = prometheus.queries.length;
    const sampler = setInterval(() => {
      for (; seen < prometheus.queries.length; seen++) checkTimes.push(Date.now());
    }, 2);
    const gaps: number[] = [];
    for (const [index, service] of services.entries()) {
      const version = `2.0.${index}`;
      const query = `version="${version}"`;
      const checks = () => prometheus.queries.filter((q) => q.includes(query)).length;
      const firstCheck = checkTimes.length;
      const id = await bot.publish(service, version, nextDigest());
      // Healthy checks first, then the breach at a random moment between two checks.
      await waitFor(
        `${HEALTHY_CHECKS} healthy checks of ${service}`,
        () => checks() >= HEALTHY_CHECKS,
        20_000,
      );
      await new Promise((resolve) => setTimeout(resolve, Math.random() * INTERVAL_MS));
      const healthyChecks = checks();
      prometheus.set(version, 0.5);
      const breachAt = Date.now();
      const stepAt = await waitFor(`the rollback of ${service}`, () => rollbacks.get(service), 20_000);
      toStep.push(stepAt - breachAt);
      checksSeen.push(checks() - healthyChecks);
      const times = checkTimes.slice(firstCheck);
      for (let i = 1; i < times.length; i++) gaps.push((times[i] ?? 0) - (times[i - 1] ?? 0));
      const events = await store.events(id);
      const rollbackStarted = events.find(
        (e) =>
          e.type === 'stepStarted' && (e.detail as { step?: { kind?: string } })?.step?.kind === 'rollback',
      );
      if (rollbackStarted) toAudit.push(Date.parse(rollbackStarted.at) - breachAt);
    }
    clearInterval(sampler);
    const describe = (samples: number[]) =>
      `${round(min(samples), 0)} / ${round(median(samples), 0)} / ${round(max(samples), 0)} ms`;
    return {
      name: '5. Reaction time',
      rows: [
        {
          measure: `breach visible → rollback step's request arrives: min / median / max (${toStep.length} runs)`,
          result: describe(toStep),
          baseline: `interval × failureLimit = ${INTERVAL_MS} ms × ${FAILURE_LIMIT}`,
          target: `max ≤ ${BUDGET_MS} ms`,
          pass: toStep.length === REPEATS && max(toStep) <= BUDGET_MS,
        },
        {
          measure: 'breach visible → `stepStarted` (rollback) in the audit trail: min / median / max',
          result: describe(toAudit),
          baseline: `breaching checks read per run: ${checksSeen.join(', ')}`,
        },
        {
          measure: `time between two checks (interval ${INTERVAL_MS} ms): min / median / max`,
          result: describe(gaps),
          baseline: `${gaps.length} gaps`,
        },
      ],
      notes: [
        `${REPEATS} runs, one service each (an automatic rollback holds production for its service). Pipeline: the no-op http steps of benchmark 2; production all-at-once with a 5 m monitor window, interval ${INTERVAL_MS} ms, failureLimit ${FAILURE_LIMIT}, one Prometheus metric (max 0.01) on test/support's fake Prometheus, and an http rollback step to the benchmark's server.`,
        `Each run waits for ${HEALTHY_CHECKS} healthy checks, then a random 0–${INTERVAL_MS} ms, then switches the fake's value to 0.5 (the breach is visible from then on) and times until the rollback step's request arrives. The design bounds this by interval × failureLimit: the first breaching check falls at most one interval after the breach, the last ${FAILURE_LIMIT - 1} intervals later.`,
        'Bot in-process with production timings, no Slack; approved through bot.commands.decide at the gate.',
      ],
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await bot?.shutdown();
    await steps.close();
    await prometheus.close();
    await workspace.remove();
  }
}
