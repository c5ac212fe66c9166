import { connect, type Socket } from 'node:net';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Commands } from '../../../src/engine/commands.js';
import type { PromotionStore } from '../../../src/engine/ports.js';
import { createHttpServer, type HttpTimeouts } from '../../../src/http/server.js';
import { createLogger } from '../../../src/logger.js';
import { waitFor } from '../../support/wait-for.js';

// Clients that hold a connection without finishing a request: a header sent byte by byte (slowloris), a body that
// trickles, a keep-alive socket parked after its answer. The server cuts each off on its own clock.

const TIMEOUTS: HttpTimeouts = {
  headersMs: 400,
  requestMs: 1_000,
  keepAliveMs: 300,
  checkEveryMs: 50,
  shutdownGraceMs: 300,
};

let server: ReturnType<typeof createHttpServer> | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await server?.close();
  server = undefined;
});

async function listen(timeouts: HttpTimeouts = TIMEOUTS): Promise<number> {
  server = createHttpServer({
    apiToken: 'slow-clients-test-token',
    pipeline: { services: new Map() },
    commands: {} as Commands,
    promotions: {} as PromotionStore,
    audit: { read: async function* () {}, services: async () => [] },
    ready: async () => ({ ok: true, checks: {} }),
    metrics: new Registry(),
    log: createLogger({ level: 'silent' }),
    serveApi: false,
    slack: { listener: (_req, res) => res.end('bolt'), signingSecret: 'slow-clients-signing-secret' },
    timeouts,
  });
  return Number(new URL(await server.listen({ port: 0, host: '127.0.0.1' })).port);
}

/** A raw connection that records what the server sends and when it closes. */
async function open(port: number) {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let received = '';
  let closed = false;
  socket.on('data', (chunk) => {
    received += String(chunk);
  });
  socket.on('close', () => {
    closed = true;
  });
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  return { socket, received: () => received, closed: () => closed };
}

/** Writes one byte every 50 ms until the socket closes: never finishing what it started. */
function trickle(socket: Socket): void {
  const timer = setInterval(() => {
    if (socket.destroyed) clearInterval(timer);
    else socket.write('a');
  }, 50);
  socket.once('close', () => clearInterval(timer));
}

describe('slow clients', () => {
  it('cuts off a client that sends its headers byte by byte once the headers timeout passes', async () => {
    const port = await listen();
    const client = await open(port);
    const started = Date.now();
    client.socket.write('POST /slack/events HTTP/1.1\r\nHost: bot\r\nX-Slow: ');
    trickle(client.socket);

    await waitFor('the server to close the slow connection', () => client.closed(), 5_000);

    expect(client.received()).toMatch(/^HTTP\/1\.1 408/);
    // Still sending when it was cut off: the timeout ended it, not the client.
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUTS.headersMs);
  });

  it('cuts off a Slack request whose body never ends once the request timeout passes', async () => {
    const port = await listen();
    const client = await open(port);
    client.socket.write(
      'POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
        'Content-Length: 100000\r\n\r\npayload=',
    );
    trickle(client.socket);

    await waitFor('the server to close the trickling upload', () => client.closed(), 5_000);
    expect(client.received()).toMatch(/^HTTP\/1\.1 (408|400)/);
    // The server is still there for everyone else.
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });

  it('closes a keep-alive socket left idle after its answer', async () => {
    const port = await listen();
    const client = await open(port);
    client.socket.write('GET /healthz HTTP/1.1\r\nHost: bot\r\nConnection: keep-alive\r\n\r\n');
    await waitFor('the answer', () => /^HTTP\/1\.1 200/.test(client.received()));

    await waitFor('the idle socket to be closed', () => client.closed(), 5_000);
  });

  it('does not let a slow client hold close() open: it is cut off after the shutdown grace', async () => {
    const port = await listen();
    const client = await open(port);
    client.socket.write('GET /healthz HTTP/1.1\r\nHost: bot\r\nX-Slow: ');
    trickle(client.socket);
    // Node stops its header timeout on close(); without the grace this close() never returned.

    await server?.close();
    server = undefined;
    await waitFor('the slow socket to be cut', () => client.closed(), 2_000);
  });

  it('closes idle keep-alive sockets on close(), long before their keep-alive timeout', async () => {
    const port = await listen({ ...TIMEOUTS, keepAliveMs: 60_000 });
    const client = await open(port);
    client.socket.write('GET /healthz HTTP/1.1\r\nHost: bot\r\nConnection: keep-alive\r\n\r\n');
    await waitFor('the answer', () => /^HTTP\/1\.1 200/.test(client.received()));

    await server?.close();
    server = undefined;
    // Its keep-alive timeout is a minute away: only close() can have ended it.
    await waitFor('the idle socket to be closed', () => client.closed(), 2_000);
  });
});
