import type { Redis } from 'ioredis';

/** What every benchmark gets from the runner: the run's own redis-server, and a client to inspect it. */
export type BenchContext = {
  readonly redisUrl: string;
  readonly redis: Redis;
};
