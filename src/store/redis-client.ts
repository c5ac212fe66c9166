import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisTopology } from '../config/env.js';

/** A connection to whichever Redis the environment names; every store and queue takes either kind. */
export type RedisClient = Redis | Cluster;

// Workers block on Redis and must wait out a failover rather than fail a command: no per-request retry limit.
const COMMON: RedisOptions = { maxRetriesPerRequest: null };

export function connectRedis(topology: RedisTopology): RedisClient {
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
