import type { RedisClient } from '../store/redis-client.js';

// A promotion's keyed wake-up jobs (gate expiry, reminders, soak end, freeze end, the question's deadline) wait
// for their time, which can be longer than RETENTION: a decided gate's expiry waits out `expiresAfter`. Each is
// listed under its promotion when scheduled, so retention removes those still waiting with the promotion.

/** The set of a promotion's wake-up jobs, as `queue jobId`, beside the jobs (`jobsPrefix` is BullMQ's prefix). */
export function wakeUpsKey(jobsPrefix: string, promotionId: string): string {
  return `${jobsPrefix}:wake-ups:${promotionId}`;
}

export function toWakeUp(queue: string, jobId: string): string {
  return `${queue} ${jobId}`;
}

/** A queue that can remove one job by id (BullMQ's Queue: a job running now is left, and cleaned when done). */
export type JobRemover = { remove(jobId: string): Promise<number> };

/** Removes the wake-up jobs of promotions that retention removed; removing them twice changes nothing. */
export function createWakeUpRetention(
  redis: RedisClient,
  jobsPrefix: string,
  queues: ReadonlyMap<string, JobRemover>,
) {
  return async function forgetWakeUps(promotionIds: readonly string[]): Promise<void> {
    await Promise.all(
      promotionIds.map(async (id) => {
        const key = wakeUpsKey(jobsPrefix, id);
        const listed = await redis.smembers(key);
        for (const wakeUp of listed) {
          const [queue = '', jobId = ''] = wakeUp.split(' ');
          await queues.get(queue)?.remove(jobId);
        }
        await redis.unlink(key);
      }),
    );
  };
}
