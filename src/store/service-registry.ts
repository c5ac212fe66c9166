import type { Keys } from './keys.js';
import { luaScript } from './lua-script.js';
import type { RedisClient } from './redis-client.js';

// A service with nothing left for retention to go after: no promotion, finished or not, none waiting for its
// clean-up, no audit entry. Its environments (and the empty stream XTRIM leaves) go with it, in its slot.
// KEYS: finished, active, retired, audit log, environments   Reply: 1 if it was empty (and is forgotten here)
const FORGET_IF_EMPTY = luaScript(
  'registry_forget_if_empty',
  `
if redis.call('EXISTS', KEYS[1], KEYS[2], KEYS[3]) > 0 then return 0 end
if redis.call('EXISTS', KEYS[4]) == 1 and redis.call('XLEN', KEYS[4]) > 0 then return 0 end
redis.call('DEL', KEYS[4], KEYS[5])
return 1
`,
  5,
);

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

    /**
     * Forgets a service that has nothing left in Redis for retention (one gone from the pipeline, whose last
     * promotions and audit entries have gone), so the registry does not grow with every name ever used. A
     * process whose file names the service registers it again on its next pass.
     */
    async forgetIfEmpty(service: string): Promise<boolean> {
      const empty = await FORGET_IF_EMPTY(
        redis,
        keys.finished(service),
        keys.active(service),
        keys.retired(service),
        keys.auditLog(service),
        keys.environments(service),
      );
      if (empty !== 1) return false;
      await redis.srem(keys.services, service);
      return true;
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
