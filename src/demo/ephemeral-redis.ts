// A private redis-server for the demo when REDIS_URL is unset: a free port, a directory of its own, no
// persistence, and `noeviction` as BullMQ requires. It stops with the demo.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { freePort } from './free-port.js';

export type EphemeralRedis = { readonly url: string; readonly pid: number; stop(): Promise<void> };

export const INSTALL_REDIS = [
  'The demo starts its own Redis, but redis-server is not installed.',
  'Install it (Debian/Ubuntu: sudo apt-get install redis-server · macOS: brew install redis ·',
  'Docker: docker run -p 6379:6379 redis:7 and then REDIS_URL=redis://127.0.0.1:6379 npm run demo),',
  'or point REDIS_URL at a Redis you already have.',
].join('\n');

export async function startEphemeralRedis(dir: string): Promise<EphemeralRedis> {
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''];
  args.push('--appendonly', 'no', '--maxmemory-policy', 'noeviction');
  // Its own process group: Ctrl-C in the terminal must not stop Redis under the bot; the demo stops it last.
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  await ready(child, port);
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function ready(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(error.code === 'ENOENT' ? INSTALL_REDIS : `could not start redis-server: ${error.message}`),
      ),
    );
    child.once('exit', (code) =>
      reject(new Error(`redis-server on port ${port} exited with code ${code}:\n${output.trim()}`)),
    );
  });
}
