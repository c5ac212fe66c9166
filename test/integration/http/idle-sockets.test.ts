import { connect } from 'node:net';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { Commands } from '../../../src/engine/commands.js';
import type { PromotionStore } from '../../../src/engine/ports.js';
import { createHttpServer } from '../../../src/http/server.js';
import { createLogger } from '../../../src/logger.js';

// Shutdown is not held open by a client that parked a keep-alive socket: idle sockets are closed.

describe('the HTTP server', () => {
  it('closes idle keep-alive sockets on close, so shutdown finishes at once', async () => {
    const server = createHttpServer({
      apiToken: 'idle-socket-test-token',
      pipeline: { services: new Map() },
      commands: {} as Commands,
      promotions: {} as PromotionStore,
      ready: async () => ({ ok: true, checks: {} }),
      metrics: new Registry(),
      log: createLogger({ level: 'silent' }),
      serveApi: false,
    });
    const url = new URL(await server.listen({ port: 0, host: '127.0.0.1' }));
    const idle = connect(Number(url.port), '127.0.0.1');
    await new Promise((resolve) => idle.once('connect', resolve));
    idle.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    const answer = await new Promise<string>((resolve) =>
      idle.once('data', (chunk) => resolve(String(chunk))),
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    const socketClosed = new Promise((resolve) => idle.once('close', resolve));

    await server.close();
    await socketClosed;
    expect(idle.destroyed).toBe(true);
  });
});
