import { Cluster, type Redis } from 'ioredis';
import { isTerminal } from '../domain/promotion-view.js';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';
import { decodePromotion } from './schema.js';
import type { KnownService, ServiceRegistry } from './service-registry.js';

const DONE = 'done';
/** Keys SCAN looks at per call: each call is short, so Redis serves everyone else between them. */
const SCAN_COUNT = 1000;

export type BackfillReport = { readonly indexed: number; readonly done: boolean };

/**
 * Promotions that finished before retention existed are in no retention index, so they would stay for ever. This
 * walks the keyspace once with SCAN and indexes each finished one by when it finished, registering the services
 * and environments it meets on the way. The cursor is saved after every page, so a restart goes on where it
 * stopped; indexing one twice changes nothing (ZADD NX), so two workers may walk at once. When the walk is over,
 * a marker says so and it never runs again.
 */
export function createRetentionBackfill(
  redis: RedisClient,
  keys: Keys,
  registry: ServiceRegistry,
  scanCount = SCAN_COUNT,
) {
  const start = keys.serviceKeysStart;

  /** The service and the rest of a service key (`promotion:<id>`, `deployments:<env>`, …). */
  function split(key: string): { service: string; rest: string } | undefined {
    const close = key.indexOf('}:', start.length);
    if (!key.startsWith(start) || close === -1) return undefined;
    return { service: key.slice(start.length, close), rest: key.slice(close + 2) };
  }

  async function indexFinished(found: ReadonlyArray<{ service: string; id: string }>): Promise<number> {
    if (found.length === 0) return 0;
    const data = await Promise.all(
      found.map(({ service, id }) => redis.hget(keys.promotion(service, id), 'data')),
    );
    const added = await Promise.all(
      found.map(async ({ service, id }, at) => {
        const promotion = decodeOrSkip(data[at]);
        if (!promotion || !isTerminal(promotion)) return 0;
        return redis.zadd(keys.finished(service), 'NX', Date.parse(promotion.updatedAt), id);
      }),
    );
    return added.reduce((sum, one) => sum + one, 0);
  }

  /** Walks one server's keys (every master of a Cluster has its own cursor) for at most `pages` pages. */
  async function walk(node: Redis, field: string, pages: number): Promise<BackfillReport> {
    let cursor = (await redis.hget(keys.retentionBackfill, field)) ?? '0';
    if (cursor === DONE) return { indexed: 0, done: true };
    let indexed = 0;
    for (let page = 0; page < pages; page++) {
      const [next, found] = await node.scan(cursor, 'MATCH', `${start}*`, 'COUNT', scanCount);
      const promotions: Array<{ service: string; id: string }> = [];
      const services = new Map<string, Set<string>>();
      for (const key of found) {
        const parts = split(key);
        if (!parts) continue;
        const environments = services.get(parts.service) ?? new Set<string>();
        services.set(parts.service, environments);
        if (parts.rest.startsWith('promotion:'))
          promotions.push({ service: parts.service, id: parts.rest.slice('promotion:'.length) });
        if (parts.rest.startsWith('deployments:')) environments.add(parts.rest.slice('deployments:'.length));
      }
      const known: KnownService[] = [...services].map(([name, environments]) => ({
        name,
        environments: [...environments],
      }));
      await registry.register(known);
      indexed += await indexFinished(promotions);
      cursor = next;
      await redis.hset(keys.retentionBackfill, field, cursor === '0' ? DONE : cursor);
      if (cursor === '0') return { indexed, done: true };
    }
    return { indexed, done: false };
  }

  return {
    /** Walks at most `pages` SCAN pages per server from where the last walk stopped; `done` once all are walked. */
    async run(pages: number): Promise<BackfillReport> {
      if ((await redis.hget(keys.retentionBackfill, 'all')) === DONE) return { indexed: 0, done: true };
      const nodes: Array<[Redis, string]> =
        redis instanceof Cluster
          ? redis.nodes('master').map((node) => [node, `${node.options.host}:${node.options.port}`])
          : [[redis, 'server']];
      const walked = await Promise.all(nodes.map(([node, field]) => walk(node, field, pages)));
      const report = {
        indexed: walked.reduce((sum, one) => sum + one.indexed, 0),
        done: walked.every((one) => one.done),
      };
      if (report.done) await redis.hset(keys.retentionBackfill, 'all', DONE);
      return report;
    },
  };
}

/** A record this version cannot read is left alone, as every other reader leaves it. */
function decodeOrSkip(text: string | null | undefined) {
  if (!text) return undefined;
  try {
    return decodePromotion(text);
  } catch {
    return undefined;
  }
}
