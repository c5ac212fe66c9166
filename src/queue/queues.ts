import { Queue, type QueueOptions } from 'bullmq';
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

// Completed jobs are kept a day so a re-enqueued duplicate id is recognised; failed ones are kept for people.
const KEEP = { removeOnComplete: { age: 24 * 3600, count: 50_000 }, removeOnFail: { age: 7 * 24 * 3600 } };

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
    async scheduleApprovalExpiry(job, delayMs) {
      const data = ExpiryJobSchema.parse(job);
      await expireLater('approval-expiry', 'expiry', data, expiryJobId(data), delayMs);
    },
    async scheduleHoldExpiry(job, delayMs) {
      const data = HoldExpiryJobSchema.parse(job);
      await expireLater('hold-expiry', 'hold-expiry', data, holdExpiryJobId(data), delayMs);
    },
    async scheduleFreezeEnd(job, delayMs) {
      const data = FreezeEndJobSchema.parse(job);
      await expireLater('freeze-end', 'freeze-end', data, freezeEndJobId(data), delayMs);
    },
    async scheduleInconclusiveDeadline(job, delayMs) {
      const data = InconclusiveDeadlineJobSchema.parse(job);
      await expireLater('inconclusive-deadline', 'deadline', data, inconclusiveDeadlineJobId(data), delayMs);
    },
    async scheduleReminder(job, delayMs) {
      const data = ReminderJobSchema.parse(job);
      await expireLater('approval-reminder', 'reminder', data, reminderJobId(data), delayMs);
    },
    async scheduleSoakEnd(job, delayMs) {
      const data = SoakEndJobSchema.parse(job);
      await expireLater('soak-end', 'soak-end', data, soakEndJobId(data), delayMs);
    },
  };

  /** An expiry runs once at its time (a keyed job: scheduling it again changes nothing), retried if Redis fails. */
  async function expireLater(name: QueueName, jobName: string, data: object, jobId: string, delayMs: number) {
    await queue(name).add(jobName, data, { ...KEEP, jobId, delay: delayMs, attempts: 5 });
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
