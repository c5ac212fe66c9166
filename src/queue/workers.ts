import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DelayedError, type Job, Worker } from 'bullmq';
import type { z } from 'zod';
import { measure } from '../domain/analysis.js';
import type { StepResult } from '../domain/events.js';
import { type Pipeline, productionIndex, productionOf } from '../domain/pipeline.js';
import { expectsStep, isDraining } from '../domain/promotion-view.js';
import { planStep } from '../domain/step-plan.js';
import { type Engine, type EventInput, HOLD_EXPIRY_ACTOR } from '../engine/engine.js';
import type { PromotionStore } from '../engine/ports.js';
import type { Logger } from '../logger.js';
import { readMetric } from '../metrics/registry.js';
import { runStep } from '../steps/registry.js';
import { decodeRunRecord, encodeRunRecord, stopEarlierRun } from '../steps/run/earlier-run.js';
import type { StepOutcome, StepRunOptions } from '../steps/step-outcome.js';
import type { RedisClient } from '../store/redis-client.js';
import {
  AnalysisJobSchema,
  ExpiryJobSchema,
  FreezeEndJobSchema,
  HoldExpiryJobSchema,
  InconclusiveDeadlineJobSchema,
  ReminderJobSchema,
  SoakEndJobSchema,
  StepJobSchema,
  stepJobId,
} from './job-schemas.js';
import { bullPrefix, type QueueName } from './queues.js';

export type WorkersDeps = {
  readonly connection: RedisClient;
  readonly prefix: string;
  readonly pipeline: Pipeline;
  readonly pipelineDir: string;
  /** `run` steps execute as this user; unset: as the bot's own. */
  readonly stepUser?: StepRunOptions['runAs'];
  /** The environment `run` steps start from (without the bot's secrets): the composition root's. */
  readonly stepBaseEnv: StepRunOptions['baseEnv'];
  readonly engine: Engine;
  readonly promotions: PromotionStore;
  readonly log: Logger;
  readonly concurrency: number;
  readonly lockDurationMs: number;
};

const METRIC_TIMEOUT_MS = 10_000;

/**
 * BullMQ workers: parse the job, check the promotion still expects it, run it, report the outcome to the
 * engine. A job whose worker died is handed to another worker once its lock expires (stalled-job check).
 */
export function startWorkers(deps: WorkersDeps) {
  const { log } = deps;
  const shutdown = new AbortController();
  // One controller per running step, stopped by either cause (a lost lock, the shutdown's grace running out):
  // cheaper than composing the two with AbortSignal.any on every job.
  const running = new Map<string, RunningStep>();
  shutdown.signal.addEventListener('abort', () => {
    for (const step of running.values()) step.stop.abort();
  });
  const host = hostname();
  const runKey = (jobId: string) => `${deps.prefix}:step-run:${jobId}`;

  async function processStep(job: Job, token?: string): Promise<string> {
    const data = StepJobSchema.parse(job.data);
    const jobLog = log.child({
      promotionId: data.promotionId,
      service: data.service,
      step: data.step,
      job: job.id,
    });
    // Read once: the engine decides the step's start on this snapshot, and its report on what the start left.
    const stored = await deps.promotions.snapshot(data.promotionId);
    const service = deps.pipeline.services.get(data.service);
    if (!stored || !service) return 'gone';
    if (!expectsStep(stored.promotion, data.step)) {
      if (isDraining(stored.promotion, data.step)) {
        const skipped: StepResult = {
          durationMs: 0,
          error: 'not run: the promotion was superseded',
          output: [],
        };
        await deps.engine.dispatch(
          data.promotionId,
          { type: 'stepFailed', step: data.step, result: skipped },
          stored,
        );
      }
      jobLog.info('step no longer due; skipped');
      return 'stale';
    }
    const plan = planStep(stored.promotion, data.step, service);
    // Only a `run` step starts a process that can outlive its worker: an `http` step has no run record to look for.
    let recorded = plan.spec.kind === 'run' && (await stopEarlierRunOf(stepJobId(data), jobLog));
    // Each execution gets its own run id: once a newer one starts, the engine refuses this one's report.
    const run = `${job.id}~${randomUUID().slice(0, 8)}`;
    const started = await deps.engine.dispatch(
      data.promotionId,
      { type: 'stepStarted', step: data.step, run },
      stored,
    );
    jobLog.info({ attempt: job.attemptsMade + 1, run }, 'step started');
    const current: RunningStep = { stop: new AbortController(), lockLost: false };
    const runningKey = job.id ?? run;
    running.set(runningKey, current);
    if (shutdown.signal.aborted) current.stop.abort();
    const outcome = await runStep(plan.spec, plan.context, {
      cwd: deps.pipelineDir,
      baseEnv: deps.stepBaseEnv,
      ...(deps.stepUser ? { runAs: deps.stepUser } : {}),
      signal: current.stop.signal,
      onStart: (pgid) => {
        recorded = true;
        const record = encodeRunRecord({ host, pgid, worker: process.pid });
        void deps.connection.set(runKey(stepJobId(data)), record, 'EX', 24 * 3600);
      },
    }).finally(() => {
      running.delete(runningKey);
    });
    if (recorded) await deps.connection.del(runKey(stepJobId(data)));
    if (current.lockLost)
      throw new Error('lost the lock on this step (another worker took it over); result dropped');
    if (shutdown.signal.aborted) {
      // Handed back without using up an attempt: another worker runs the step from the start.
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError('worker shutting down: step handed back');
    }
    jobLog.info(
      {
        ok: outcome.ok,
        exitCode: outcome.exitCode,
        httpStatus: outcome.httpStatus,
        durationMs: outcome.durationMs,
      },
      'step finished',
    );
    const attempts = job.opts.attempts ?? 1;
    if (!outcome.ok && job.attemptsMade + 1 < attempts) {
      throw new Error(`step failed (${outcome.error ?? 'no detail'}); retrying`);
    }
    const result = toResult(outcome);
    await deps.engine.dispatch(
      data.promotionId,
      { type: outcome.ok ? 'stepSucceeded' : 'stepFailed', step: data.step, result, run },
      started.ok ? started.committed : undefined,
    );
    return outcome.ok ? 'passed' : 'failed';
  }

  /** An earlier run of the step still alive on this host is waited for, then stopped; true if it left a record. */
  async function stopEarlierRunOf(jobId: string, jobLog: Logger): Promise<boolean> {
    const record = decodeRunRecord(await deps.connection.get(runKey(jobId)));
    if (!record) return false;
    const killed = await stopEarlierRun(record, { host, graceMs: deps.lockDurationMs });
    if (killed !== undefined)
      jobLog.warn({ pgid: killed }, 'killed the process group an earlier run of this step left running');
    return true;
  }

  async function processAnalysis(job: Job): Promise<string> {
    const data = AnalysisJobSchema.parse(job.data);
    const stored = await deps.promotions.get(data.promotionId);
    const service = deps.pipeline.services.get(data.service);
    if (!stored || !service) return 'gone';
    const production = productionOf(service);
    const { phase } = stored.promotion;
    if (phase.kind !== 'rolling_out' || phase.step !== data.analysis.step || phase.stage.kind !== 'analysing')
      return 'stale';
    const context = planStep(
      stored.promotion,
      { kind: 'deploy', environment: productionIndex(service), rolloutStep: phase.step },
      service,
    ).context;
    const metrics = production.monitor?.metrics ?? [];
    const measurements = await Promise.all(
      metrics.map(async (metric) =>
        measure(metric, await readMetric(metric.query, context, { timeoutMs: METRIC_TIMEOUT_MS })),
      ),
    );
    log.info(
      { promotionId: data.promotionId, service: data.service, analysis: data.analysis, measurements },
      'analysis check',
    );
    await deps.engine.dispatch(data.promotionId, {
      type: 'analysisCompleted',
      analysis: data.analysis,
      measurements,
    });
    return 'analysed';
  }

  async function processHoldExpiry(job: Job): Promise<string> {
    const data = HoldExpiryJobSchema.parse(job.data);
    const service = deps.pipeline.services.get(data.service);
    if (!service) return 'gone';
    const lifted = await deps.engine.liftHold(service, data.environment, HOLD_EXPIRY_ACTOR, data.placedAt);
    return lifted ? 'lifted' : 'stale';
  }

  /**
   * A wake-up due early by this process's clock (another process scheduled it) waits again for its time: the state
   * machine would refuse it, and its keyed id could not be scheduled twice.
   */
  async function notBefore(job: Job, token: string | undefined, at: string): Promise<void> {
    const due = Date.parse(at);
    if (Date.now() >= due) return;
    await job.moveToDelayed(due, token);
    throw new DelayedError(`not due before ${at}`);
  }

  /**
   * A keyed job that wakes a promotion with one event at its time (`dueAt`: not before then); it answers `applied`
   * when the state machine took the event, `stale` when the promotion has moved on.
   */
  function wakeUp<T extends { readonly promotionId: string }>(
    schema: z.ZodType<T>,
    event: (data: T) => EventInput,
    applied: string,
    dueAt?: (data: T) => string | undefined,
  ): (job: Job, token?: string) => Promise<string> {
    return async (job, token) => {
      const data = schema.parse(job.data);
      const due = dueAt?.(data);
      if (due !== undefined) await notBefore(job, token, due);
      const result = await deps.engine.dispatch(data.promotionId, event(data));
      return result.ok ? applied : 'stale';
    };
  }

  const processors: ReadonlyArray<readonly [QueueName, (job: Job, token?: string) => Promise<string>]> = [
    ['deploy', processStep],
    ['test', processStep],
    ['rollback', processStep],
    ['analysis', processAnalysis],
    [
      'approval-expiry',
      wakeUp(ExpiryJobSchema, (d) => ({ type: 'approvalExpired', requestedAt: d.requestedAt }), 'expired'),
    ],
    ['hold-expiry', processHoldExpiry],
    [
      'freeze-end',
      wakeUp(
        FreezeEndJobSchema,
        (d) => ({ type: 'freezeEnded', environment: d.environment, endsAt: d.endsAt }),
        'woken',
        (d) => d.endsAt,
      ),
    ],
    [
      'approval-reminder',
      wakeUp(
        ReminderJobSchema,
        (d) => ({ type: 'reminderDue', requestedAt: d.requestedAt, reminder: d.reminder }),
        'reminded',
        (d) => d.dueAt,
      ),
    ],
    [
      'inconclusive-deadline',
      wakeUp(
        InconclusiveDeadlineJobSchema,
        (d) => ({ type: 'inconclusiveUnanswered', askedAt: d.askedAt }),
        'rolled back',
        (d) => d.dueAt,
      ),
    ],
    [
      'soak-end',
      wakeUp(
        SoakEndJobSchema,
        (d) => ({ type: 'soakEnded', environment: d.environment, until: d.until }),
        'woken',
        (d) => d.until,
      ),
    ],
  ];

  const workers = processors.map(([name, processor]) => {
    const worker = new Worker(name, processor, {
      connection: deps.connection,
      prefix: bullPrefix(deps.prefix),
      concurrency: deps.concurrency,
      lockDuration: deps.lockDurationMs,
      stalledInterval: Math.max(1000, Math.floor(deps.lockDurationMs / 2)),
      maxStalledCount: 5,
    });
    worker.on('failed', (job, error) =>
      log.warn({ queue: name, job: job?.id, err: error }, 'job attempt failed'),
    );
    worker.on('error', (error) => log.error({ queue: name, err: error }, 'worker error'));
    // Redis was away too long and the lock expired: another worker may already run the step, so stop ours.
    worker.on('lockRenewalFailed', (jobIds) => {
      for (const id of jobIds) {
        const step = running.get(id);
        if (!step) continue;
        step.lockLost = true;
        step.stop.abort();
      }
    });
    return worker;
  });

  return {
    workers,
    /** Resolves once every worker is connected: closing one still connecting rejects inside BullMQ, unhandled. */
    async ready(): Promise<void> {
      await Promise.all(workers.map((worker) => worker.waitUntilReady()));
    },
    /** Stops taking jobs; running steps get `graceMs` to finish, then are killed and handed back. */
    async close(graceMs: number): Promise<void> {
      const closing = Promise.all(workers.map((worker) => worker.close()));
      const timer = setTimeout(() => shutdown.abort(), graceMs);
      await closing;
      clearTimeout(timer);
    },
  };
}

/** A step being run by this process, and whether it is being stopped because another worker took it over. */
type RunningStep = { readonly stop: AbortController; lockLost: boolean };

function toResult(outcome: StepOutcome): StepResult {
  return {
    durationMs: outcome.durationMs,
    output: outcome.output,
    ...(outcome.exitCode === undefined ? {} : { exitCode: outcome.exitCode }),
    ...(outcome.httpStatus === undefined ? {} : { httpStatus: outcome.httpStatus }),
    ...(outcome.timedOut ? { timedOut: true } : {}),
    ...(outcome.error === undefined ? {} : { error: outcome.error }),
  };
}
