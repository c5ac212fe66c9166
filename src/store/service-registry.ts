import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';

/** A service as retention sees it: its name and its environments' names. */
export type KnownService = { readonly name: string; readonly environments: readonly string[] };

export type ServiceRegistry = ReturnType<typeof createServiceRegistry>;

/**
 * The services that have keys in Redis, with their environments, remembered after they leave the pipeline file:
 * their finished promotions still go after RETENTION and their audit streams after AUDIT_RETENTION.
 */
export function createServiceRegistry(redis: RedisClient, keys: Keys) {
  return {
    /** Adds services (a worker's pipeline at start, or what the backfill finds); adding twice changes nothing. */
    async register(services: readonly KnownService[]): Promise<void> {
      if (services.length === 0) return;
      await redis.sadd(keys.services, ...services.map((service) => service.name));
      // One command per service: each environments set is in its service's slot.
      await Promise.all(
        services
          .filter((service) => service.environments.length > 0)
          .map((service) => redis.sadd(keys.environments(service.name), ...service.environments)),
      );
    },

    /** Every service registered, each with the environments recorded for it (sorted by name). */
    async known(): Promise<KnownService[]> {
      const names = (await redis.smembers(keys.services)).sort();
      return Promise.all(
        names.map(async (name) => ({
          name,
          environments: (await redis.smembers(keys.environments(name))).sort(),
        })),
      );
    },
  };
}
