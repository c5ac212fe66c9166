import { createServer } from 'node:net';
import { type Standin, startStandin } from '@promotion-bot/standin';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_CHANNELS, DEMO_USERS } from '../../../src/demo/demo-workspace.js';
import { freePort } from '../../../src/demo/free-port.js';
import { onStablePort } from '../../../src/demo/standin-port.js';

// The demo's stand-in keeps its address between runs (a tab left open reconnects), unless the port is taken.

const started: Standin[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((standin) => standin.close()));
});

async function start(port: number): Promise<Standin> {
  const standin = await startStandin({
    signingSecret: 'signing-secret',
    botToken: 'xoxb-demo',
    users: DEMO_USERS,
    channels: DEMO_CHANNELS,
    scopes: [],
    commands: [],
    port,
  });
  started.push(standin);
  return standin;
}

async function stop(standin: Standin): Promise<void> {
  started.splice(started.indexOf(standin), 1);
  await standin.close();
}

describe("the demo's stand-in port", () => {
  it('is the same in every run while nothing else holds it', async () => {
    const preferred = await freePort();
    const first = await onStablePort(start, { preferred });
    await stop(first.listening);
    const second = await onStablePort(start, { preferred });

    expect(first.listening.url).toBe(`http://127.0.0.1:${preferred}/`);
    expect(second.listening.url).toBe(first.listening.url);
    expect(second.taken).toBeUndefined();
  });

  it('falls back to a free port, and says which one was taken, when something else holds it', async () => {
    const preferred = await freePort();
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(preferred, '127.0.0.1', resolve));
    try {
      const { listening, taken } = await onStablePort(start, { preferred });

      expect(taken).toBe(preferred);
      expect(Number(new URL(listening.url).port)).not.toBe(preferred);
      expect((await fetch(listening.url)).status).toBe(200);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('keeps to a port given with --port, and fails when that one is taken', async () => {
    const port = await freePort();
    await onStablePort(start, { port });

    await expect(onStablePort(start, { port })).rejects.toThrow(/EADDRINUSE/);
  });
});
