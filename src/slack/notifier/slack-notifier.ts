import { randomUUID } from 'node:crypto';
import { DelayedError, type Job, Queue, Worker } from 'bullmq';
import { z } from 'zod';
import type { Notifier } from '../../engine/ports.js';
import type { Logger } from '../../logger.js';
import { bullPrefix } from '../../queue/queues.js';
import type { RedisClient } from '../../store/redis-client.js';
import type { SlackDelivery } from './slack-delivery.js';
import type { SlackState } from './slack-state.js';

export const SLACK_QUEUE = 'slack';

const DeliverJob = z.object({ promotionId: z.string().regex(/^[A-Za-z0-9_-]{4,64}$/) });

export type SlackQueueOptions = {
  /** Notices that arrive within this window go out together: one edit of the parent message, not five. */
  readonly coalesceMs: number;
  /** Delivery retries while Slack is failing: every `retryDelayMs`, up to `attempts` times. */
  readonly attempts: number;
  readonly retryDelayMs: number;
};

export const DEFAULT_SLACK_QUEUE_OPTIONS: SlackQueueOptions = {
  coalesceMs: 300,
  attempts: 2000,
  retryDelayMs: 2000,
};

/** The engine's Notifier for Slack: records the notice, then lets a queued job deliver it (never inline). */
export function createSlackNotifier(queue: Queue, state: SlackState, options: SlackQueueOptions): Notifier {
  return {
    async notify(promotion, notice) {
      await state.push(promotion.id, notice);
      await enqueueDelivery(queue, promotion.id, options);
    },
  };
}

export function createSlackQueue(connection: RedisClient, prefix: string): Queue {
  return new Queue(SLACK_QUEUE, { connection, prefix: bullPrefix(prefix) });
}

async function enqueueDelivery(queue: Queue, promotionId: string, options: SlackQueueOptions): Promise<void> {
  await queue.add(
    'deliver',
    { promotionId },
    {
      delay: options.coalesceMs,
      attempts: options.attempts,
      backoff: { type: 'fixed', delay: options.retryDelayMs },
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  );
}

// One deliverer per promotion at a time keeps its notices in order; others come back a moment later.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const ACQUIRE = `
local holder = redis.call('GET', KEYS[1])
if (not holder) or holder == ARGV[1] then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

export function startSlackWorker(deps: {
  connection: RedisClient;
  prefix: string;
  queue: Queue;
  delivery: SlackDelivery;
  log: Logger;
  concurrency: number;
  options: SlackQueueOptions;
  /** The job lock, as for steps (JOB_LOCK_DURATION): a dead deliverer's job is taken over after it. */
  lockDurationMs: number;
  onFailure?: (error: Error) => void;
}) {
  const lockKey = (id: string) => `${deps.prefix}:slack:lock:${id}`;

  // Short and renewed while draining: a killed deliverer's lock lapses quickly, and its own job, when BullMQ
  // hands it to another worker, takes the lock over at once (the owner is the job id).
  const lockTtlMs = Math.max(10_000, 2 * deps.lockDurationMs);

  async function process(job: Job, token?: string): Promise<number> {
    const { promotionId } = DeliverJob.parse(job.data);
    const owner = job.id ?? randomUUID();
    const key = lockKey(promotionId);
    if ((await deps.connection.eval(ACQUIRE, 1, key, owner, String(lockTtlMs))) !== 1) {
      await job.moveToDelayed(Date.now() + 250, token);
      throw new DelayedError();
    }
    const renewal = setInterval(() => {
      void deps.connection.eval(RENEW, 1, key, owner, String(lockTtlMs)).catch(() => undefined);
    }, lockTtlMs / 3);
    let delivered: number;
    try {
      delivered = await deps.delivery.drain(promotionId);
    } finally {
      clearInterval(renewal);
      await deps.connection.eval(RELEASE, 1, key, owner);
    }
    // A notice pushed between the last drain and the release must not wait for the next notice.
    if ((await deps.delivery.state.pendingCount(promotionId)) > 0)
      await enqueueDelivery(deps.queue, promotionId, deps.options);
    return delivered;
  }

  const worker = new Worker(SLACK_QUEUE, process, {
    connection: deps.connection,
    prefix: bullPrefix(deps.prefix),
    concurrency: deps.concurrency,
    lockDuration: deps.lockDurationMs,
    stalledInterval: Math.max(1000, Math.floor(deps.lockDurationMs / 2)),
  });
  worker.on('failed', (job, error) => {
    deps.onFailure?.(error);
    deps.log.warn(
      { promotionId: job?.data?.promotionId, attempt: job?.attemptsMade, err: error },
      'slack delivery failed; will retry',
    );
  });
  worker.on('error', (error) => deps.log.error({ err: error }, 'slack worker error'));
  return worker;
}
