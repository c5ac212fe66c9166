import { createRequire } from 'node:module';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisTopology } from '../config/env.js';

/** A connection to whichever Redis the environment names; every store and queue takes either kind. */
export type RedisClient = Redis | Cluster;

/** Runs a MULTI and returns each command's reply, throwing the first error one answered with. */
export async function execTransaction(transaction: ReturnType<RedisClient['multi']>): Promise<unknown[]> {
  const replies = (await transaction.exec()) ?? [];
  for (const [error] of replies) if (error) throw error;
  return replies.map(([, reply]) => reply);
}

// Workers block on Redis and must wait out a failover rather than fail a command: no per-request retry limit.
const COMMON: RedisOptions = { maxRetriesPerRequest: null };

export function connectRedis(topology: RedisTopology): RedisClient {
  silenceIoredisTrace();
  const url = new URL(topology.url);
  const auth = {
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
  switch (topology.kind) {
    case 'single':
      return new Redis(topology.url, COMMON);
    case 'cluster':
      return new Cluster(
        topology.nodes.map((node) => ({ host: node.host, port: node.port })),
        { redisOptions: { ...COMMON, ...auth }, enableReadyCheck: true },
      );
    case 'sentinel':
      return new Redis({
        ...COMMON,
        ...auth,
        sentinels: topology.sentinels.map((node) => ({ host: node.host, port: node.port })),
        name: topology.name,
      });
  }
}

type DebugNamespaces = { disable(): string; enable(namespaces: string): void };

/**
 * ioredis traces every command with its arguments through `debug` when DEBUG names it: AUTH's password included.
 * Whatever DEBUG says, its namespaces stay off (the `debug` instance ioredis itself loads, so no dependency of ours).
 */
function silenceIoredisTrace(): void {
  const debug: DebugNamespaces = createRequire(createRequire(import.meta.url).resolve('ioredis'))('debug');
  const namespaces = debug.disable();
  debug.enable(namespaces.split(',').includes('-ioredis:*') ? namespaces : `${namespaces},-ioredis:*`);
}
