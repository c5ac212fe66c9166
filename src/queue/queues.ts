import { Queue, type QueueOptions } from 'bullmq';
import type { z } from 'zod';
import type { StepRef } from '../domain/events.js';
import type { JobScheduler } from '../engine/ports.js';
import type { RedisClient } from '../store/redis-client.js';
import {
  AnalysisJobSchema,
  analysisJobId,
  ExpiryJobSchema,
  expiryJobId,
  FreezeEndJobSchema,
  freezeEndJobId,
  HoldExpiryJobSchema,
  holdExpiryJobId,
  InconclusiveDeadlineJobSchema,
  inconclusiveDeadlineJobId,
  ReminderJobSchema,
  reminderJobId,
  SoakEndJobSchema,
  StepJobSchema,
  soakEndJobId,
  stepJobId,
} from './job-schemas.js';
import { toWakeUp, wakeUpsKey } from './wake-ups.js';

/** One queue per kind of work, so each can be sized and watched on its own. */
export const QUEUE_NAMES = [
  'deploy',
  'test',
  'rollback',
  'analysis',
  'approval-expiry',
  'hold-expiry',
  'freeze-end',
  'approval-reminder',
  'inconclusive-deadline',
  'soak-end',
] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export function stepQueueOf(step: StepRef): QueueName {
  return step.kind;
}

/** BullMQ keys share one hash tag so the queues work on a Redis Cluster too. */
export function bullPrefix(prefix: string): string {
  return `{${prefix}-jobs}`;
}

// Completed jobs are kept a day so a re-enqueued duplicate id is recognised; failed ones are kept for people, a
// week and at most 10,000 a queue, so a step failing in a loop cannot fill Redis.
const KEEP = {
  removeOnComplete: { age: 24 * 3600, count: 50_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
};

export type Queues = {
  readonly scheduler: JobScheduler;
  readonly queues: ReadonlyMap<QueueName, Queue>;
  counts(): Promise<Array<{ queue: string; counts: Record<string, number> }>>;
  close(): Promise<void>;
};

export function createQueues(connection: RedisClient, prefix: string): Queues {
  const options: QueueOptions = { connection, prefix: bullPrefix(prefix) };
  const queues = new Map(QUEUE_NAMES.map((name) => [name, new Queue(name, options)] as const));
  const queue = (name: QueueName): Queue => {
    const found = queues.get(name);
    if (!found) throw new Error(`no queue ${name}`);
    return found;
  };

  const scheduler: JobScheduler = {
    async runStep(job, retry) {
      const data = StepJobSchema.parse(job);
      await queue(stepQueueOf(data.step)).add(data.step.kind, data, {
        ...KEEP,
        jobId: stepJobId(data),
        attempts: retry.attempts,
        backoff: { type: 'exponential', delay: retry.backoffMs },
      });
    },
    async scheduleAnalysis(job, delayMs) {
      const data = AnalysisJobSchema.parse(job);
      await queue('analysis').add('analysis', data, {
        ...KEEP,
        jobId: analysisJobId(data),
        delay: delayMs,
        attempts: 3,
        backoff: { type: 'fixed', delay: 1000 },
      });
    },
    scheduleApprovalExpiry: timed('approval-expiry', 'expiry', ExpiryJobSchema, expiryJobId),
    // A hold's expiry belongs to no promotion: it runs at its time (or finds the hold gone) and is cleaned then.
    scheduleHoldExpiry: timed('hold-expiry', 'hold-expiry', HoldExpiryJobSchema, holdExpiryJobId),
    scheduleFreezeEnd: timed('freeze-end', 'freeze-end', FreezeEndJobSchema, freezeEndJobId),
    scheduleInconclusiveDeadline: timed(
      'inconclusive-deadline',
      'deadline',
      InconclusiveDeadlineJobSchema,
      inconclusiveDeadlineJobId,
    ),
    scheduleReminder: timed('approval-reminder', 'reminder', ReminderJobSchema, reminderJobId),
    scheduleSoakEnd: timed('soak-end', 'soak-end', SoakEndJobSchema, soakEndJobId),
  };

  /**
   * A job that runs once at its time (keyed: scheduling it again changes nothing), retried if Redis fails: the
   * scheduler's side of the workers' wake-ups.
   */
  function timed<T extends object>(
    name: QueueName,
    jobName: string,
    schema: z.ZodType<T>,
    idOf: (job: T) => string,
  ): (job: T, delayMs: number) => Promise<void> {
    return async (job, delayMs) => {
      const data = schema.parse(job);
      const jobId = idOf(data);
      // Listed under its promotion first, so retention finds it even when it waits longer than RETENTION: a
      // crash between the two leaves a listed job that is not there, which removing skips.
      if ('promotionId' in data && typeof data.promotionId === 'string')
        await connection.sadd(wakeUpsKey(bullPrefix(prefix), data.promotionId), toWakeUp(name, jobId));
      await queue(name).add(jobName, data, { ...KEEP, jobId, delay: delayMs, attempts: 5 });
    };
  }

  return {
    scheduler,
    queues,
    async counts() {
      return Promise.all(
        [...queues.entries()].map(async ([name, q]) => ({
          queue: name,
          counts: await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed'),
        })),
      );
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
