import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RedisServer, startRedisServer } from '../redis-server.js';

// A private redis-server with the append-only file on, which a test stops (SIGTERM: Redis writes its AOF out)
// and starts again on the same port from the same directory, as an operator restarting Redis would.

export type RestartableRedis = {
  readonly url: string;
  readonly port: number;
  /** Stops the server; its data stays in the directory. */
  stop(): Promise<void>;
  /** Starts it again on the same port, from the same directory. */
  start(): Promise<void>;
  /** Stops it if it runs and deletes its directory. */
  remove(): Promise<void>;
};

export async function startRestartableRedis(): Promise<RestartableRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'pb-aof-'));
  let server: RedisServer | undefined = await startRedisServer({ appendOnly: true, dir });
  const { url, port } = server;

  return {
    url,
    port,
    async stop() {
      const running = server;
      server = undefined;
      await running?.stop();
    },
    async start() {
      if (server) return;
      server = await startRedisServer({ appendOnly: true, port, dir });
    },
    async remove() {
      await server?.stop();
      server = undefined;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
