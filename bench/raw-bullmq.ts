// The floor for orchestration: BullMQ alone on the same Redis, doing what the bot asks of it without the bot.
// Each "promotion" is a chain of jobs alternating between a `deploy` and a `test` queue (as the bot's steps do);
// a job's processor adds the next job of its chain, and the chains all start at once.
import { performance } from 'node:perf_hooks';
import { type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';

// The bot's retention of completed step jobs (src/queue/queues.ts), so both sides write the same to Redis.
const KEEP = { removeOnComplete: { age: 24 * 3600, count: 50_000 }, removeOnFail: { age: 7 * 24 * 3600 } };

export async function rawChains(options: {
  connection: Redis;
  prefix: string;
  chains: number;
  jobsPerChain: number;
  concurrency: number;
  /** Work each job does, e.g. the same no-op HTTP call the bot's steps make; none by default. */
  work?: () => Promise<void>;
  deadlineMs: number;
  /** Wraps the chains' run, from the first add to the last job done (workers ready before, closed after). */
  around?: (chains: () => Promise<void>) => Promise<void>;
}): Promise<{ wallMs: number; jobs: number }> {
  const { connection, prefix } = options;
  const names = ['deploy', 'test'] as const;
  const queues = names.map((name) => new Queue(name, { connection, prefix }));
  let remaining = options.chains;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  let jobs = 0;
  const processJob = async (job: Job<{ chain: number; step: number }>) => {
    await options.work?.();
    jobs += 1;
    const { chain, step } = job.data;
    const next = step + 1;
    if (next < options.jobsPerChain) {
      await queues[next % 2]?.add('step', { chain, step: next }, { ...KEEP, jobId: `${chain}.${next}` });
    } else if (--remaining === 0) finish();
  };
  const workers = names.map(
    (name) => new Worker(name, processJob, { connection, prefix, concurrency: options.concurrency }),
  );
  try {
    await Promise.all(workers.map((worker) => worker.waitUntilReady()));
    let wallMs = 0;
    const chains = async () => {
      const started = performance.now();
      await Promise.all(
        Array.from({ length: options.chains }, (_, chain) =>
          queues[0]?.add('step', { chain, step: 0 }, { ...KEEP, jobId: `${chain}.0` }),
        ),
      );
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        finished,
        new Promise((_resolve, reject) => {
          timer = setTimeout(
            () => reject(new Error('raw BullMQ chains did not finish in time')),
            options.deadlineMs,
          );
        }),
      ]).finally(() => clearTimeout(timer));
      wallMs = performance.now() - started;
    };
    await (options.around ? options.around(chains) : chains());
    return { wallMs, jobs };
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
    await Promise.all(queues.map((queue) => queue.close()));
  }
}
