import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { PromotionEvent } from '../domain/events.js';
import type { Pipeline } from '../domain/pipeline.js';
import type { Promotion } from '../domain/promotion.js';
import { statusOf } from '../domain/promotion-view.js';

export type MetricsSources = {
  /** Active promotions of a service, for the by-status gauge (read at scrape time, so every process agrees). */
  readonly activePromotions?: (service: string) => Promise<readonly Promotion[]>;
  /** Job counts of every queue, by state. */
  readonly queueCounts?: () => Promise<ReadonlyArray<{ queue: string; counts: Record<string, number> }>>;
  /** Channels the bot cannot post in, and how many promotions wait for each. */
  readonly deliveryProblems?: () => Promise<
    ReadonlyArray<{ readonly channel: string; readonly code: string; readonly waiting: number }>
  >;
};

/** Prometheus metrics of one process; names follow Prometheus conventions (base units, _total counters). */
export function createMetrics(pipeline: Pipeline, sources: MetricsSources = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const transitions = new Counter({
    name: 'promotion_bot_transitions_total',
    help: 'Promotion state changes, by event and the status they led to.',
    labelNames: ['service', 'event', 'status'] as const,
    registers: [registry],
  });
  const finished = new Counter({
    name: 'promotion_bot_promotions_finished_total',
    help: 'Promotions that reached a final status.',
    labelNames: ['service', 'status'] as const,
    registers: [registry],
  });
  const stepDuration = new Histogram({
    name: 'promotion_bot_step_duration_seconds',
    help: 'How long deploy, test and rollback steps ran.',
    labelNames: ['kind', 'environment', 'outcome'] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800],
    registers: [registry],
  });
  const gateWait = new Histogram({
    name: 'promotion_bot_gate_wait_seconds',
    help: 'Time from an approval request to its decision.',
    labelNames: ['service', 'decision'] as const,
    buckets: [10, 60, 300, 900, 1800, 3600, 4 * 3600, 12 * 3600, 24 * 3600],
    registers: [registry],
  });
  const rollbacks = new Counter({
    name: 'promotion_bot_rollbacks_total',
    help: 'Production rollbacks started, by cause (metric-breach, inconclusive, step-failed, manual).',
    labelNames: ['service', 'cause'] as const,
    registers: [registry],
  });
  const slackErrors = new Counter({
    name: 'promotion_bot_slack_api_errors_total',
    help: 'Slack Web API calls that failed, by method and error (ratelimited for 429s).',
    labelNames: ['method', 'error'] as const,
    registers: [registry],
  });

  new Gauge({
    name: 'promotion_bot_promotions',
    help: 'Promotions in flight, by service and status.',
    labelNames: ['service', 'status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      if (!sources.activePromotions) return;
      for (const service of pipeline.services.keys()) {
        for (const promotion of await sources.activePromotions(service)) {
          this.inc({ service, status: statusOf(promotion.phase) });
        }
      }
    },
  });
  // Both delivery gauges are collected in the same scrape: they share one read.
  let problemsRead:
    | { at: number; problems: ReturnType<NonNullable<MetricsSources['deliveryProblems']>> }
    | undefined;
  const deliveryProblems = () => {
    if (!sources.deliveryProblems) return Promise.resolve([]);
    if (!problemsRead || Date.now() - problemsRead.at > 1000)
      problemsRead = { at: Date.now(), problems: sources.deliveryProblems() };
    return problemsRead.problems;
  };
  new Gauge({
    name: 'promotion_bot_slack_channel_unreachable',
    help: 'Channels the bot cannot post in (1 each, by Slack error); their messages wait until it is invited.',
    labelNames: ['channel', 'error'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const problem of await deliveryProblems()) {
        this.set({ channel: problem.channel, error: problem.code }, 1);
      }
    },
  });
  new Gauge({
    name: 'promotion_bot_slack_waiting_promotions',
    help: 'Promotions whose Slack messages wait for a channel the bot cannot post in.',
    labelNames: ['channel'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const problem of await deliveryProblems()) {
        this.set({ channel: problem.channel }, problem.waiting);
      }
    },
  });
  new Gauge({
    name: 'promotion_bot_queue_jobs',
    help: 'Jobs in each queue, by state (waiting, active, delayed, failed, ...).',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const { queue, counts } of (await sources.queueCounts?.()) ?? []) {
        for (const [state, count] of Object.entries(counts)) this.set({ queue, state }, count);
      }
    },
  });

  /** Records what one committed transition means for the metrics. */
  function observeTransition(before: Promotion, event: PromotionEvent, after: Promotion): void {
    const service = after.artifact.service;
    const status = statusOf(after.phase);
    transitions.inc({ service, event: event.type, status });
    if (
      statusOf(before.phase) !== status &&
      ['failed', 'rolled_back', 'released', 'superseded'].includes(status)
    ) {
      finished.inc({ service, status });
    }
    if (event.type === 'stepSucceeded' || event.type === 'stepFailed') {
      const environment =
        pipeline.services.get(service)?.environments[event.step.environment]?.name ?? 'unknown';
      const outcome = event.type === 'stepSucceeded' ? 'passed' : 'failed';
      stepDuration.observe({ kind: event.step.kind, environment, outcome }, event.result.durationMs / 1000);
    }
    if (
      event.type === 'approvalDecided' &&
      before.phase.kind === 'awaiting_approval' &&
      after.phase.kind !== 'awaiting_approval'
    ) {
      const waited = (Date.parse(event.at) - Date.parse(before.phase.requestedAt)) / 1000;
      gateWait.observe({ service, decision: event.decision }, Math.max(0, waited));
    }
    if (after.phase.kind === 'rolling_back' && before.phase.kind !== 'rolling_back') {
      rollbacks.inc({ service, cause: after.phase.cause.kind });
    }
  }

  function observeSlackError(method: string, error: string): void {
    slackErrors.inc({ method, error });
  }

  return { registry, observeTransition, observeSlackError };
}

export type Metrics = ReturnType<typeof createMetrics>;
