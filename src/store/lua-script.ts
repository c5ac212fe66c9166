import type { RedisClient } from './redis-client.js';

type Run = (...keysAndArgs: readonly (string | number)[]) => Promise<unknown>;

/**
 * A Lua script run by its SHA1 (EVALSHA) rather than sent whole on every call: ioredis' defineCommand loads it on
 * first use and again after a Redis restart (NOSCRIPT). `name` must be unique in the program. Without
 * `numberOfKeys` (a script whose keys vary) the first argument of every call is the number of keys.
 */
export function luaScript(name: string, lua: string, numberOfKeys?: number) {
  const defined = new WeakSet<RedisClient>();
  return (redis: RedisClient, ...keysAndArgs: readonly (string | number)[]): Promise<unknown> => {
    if (!defined.has(redis)) {
      redis.defineCommand(name, numberOfKeys === undefined ? { lua } : { lua, numberOfKeys });
      defined.add(redis);
    }
    return (
      (redis as unknown as Record<string, Run>)[name]?.(...keysAndArgs) ??
      Promise.reject(new Error(`no script ${name}`))
    );
  };
}
