import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { STANDIN_MISSING } from '../../../src/cli/demo.js';
import { demoServicePids } from '../../../src/demo/demo-services.js';
import { DEFAULT_STANDIN_PORT } from '../../../src/demo/standin-port.js';
import { isProcessAlive, isProcessGroupAlive } from '../../../src/steps/run/process-group.js';
import { SOURCES } from '../../support/bot-process.js';
import { waitFor } from '../../support/wait-for.js';

// `promotion-bot demo` as a person runs it: a child process with no REDIS_URL, stopped with SIGTERM.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

type Demo = { readonly child: ChildProcess; output(): string; exited: Promise<number | null> };

let running: Demo | undefined;

afterEach(() => {
  if (running?.child.exitCode === null) running.child.kill('SIGKILL');
  running = undefined;
});

function startDemoCommand(root = ROOT): Demo {
  const { REDIS_URL: _unset, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', SOURCES, 'src/cli.ts', 'demo'], {
    cwd: root,
    env: { ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collectOutput(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  running = { child, output, exited };
  return running;
}

/** Everything the child prints, stdout and stderr as they interleave. */
function collectOutput(child: ChildProcess): () => string {
  let text = '';
  const append = (chunk: Buffer) => {
    text += chunk.toString();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return () => text;
}

/** `promotion-bot <args>` as the printed command runs it; resolves with what it printed once it exits 0. */
function runCli(args: readonly string[], env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collectOutput(child);
  return new Promise((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0 ? resolve(output()) : reject(new Error(`exit ${code}: ${output()}`)),
    ),
  );
}

function match(text: string, pattern: RegExp): string {
  const found = pattern.exec(text)?.[1];
  if (!found) throw new Error(`no ${pattern} in:\n${text}`);
  return found;
}

describe('promotion-bot demo', () => {
  it('starts Redis, the stand-in and the bot, serves the page, and stops everything on SIGTERM', async () => {
    const demo = startDemoCommand();
    await waitFor('the demo to print its instructions', () => demo.output().includes('Ctrl-C stops'), 30_000);
    const text = demo.output();
    const page = match(text, /Slack stand-in\s+(http:\/\/127\.0\.0\.1:\d+\/)/);
    const redisPid = Number(match(text, /redis-server started on \S+ \(ephemeral, pid (\d+)\)/));
    const stateDir = match(text, /bot log\s+(\S+)\/bot\.log/);
    expect(text).toContain('published: shop 1.0.0');
    // The same address every run, unless another demo (a test running beside this one) holds it.
    expect(
      Number(new URL(page).port) === DEFAULT_STANDIN_PORT ||
        text.includes(`port ${DEFAULT_STANDIN_PORT} is taken`),
    ).toBe(true);
    const publish = match(
      text,
      /^ {2}(PROMOTION_API_TOKEN=[0-9a-f]{32} npx tsx src\/cli\.ts publish --service shop --version 1\.1\.0 --digest sha256:[0-9a-f]{64} --commit [0-9a-f]{40} --api http:\/\/127\.0\.0\.1:\d+)$/m,
    );

    const html = await (await fetch(page)).text();
    expect(html).toContain('<title>promotion-bot · local Slack stand-in</title>');
    // The first deploys have started demo services in their own process groups.
    const services = await waitFor(
      'two demo services',
      async () => {
        const pids = await demoServicePids(stateDir);
        return pids.length >= 2 && pids.every(isProcessGroupAlive) && pids;
      },
      30_000,
    );
    expect(isProcessAlive(redisPid)).toBe(true);
    // The printed command works as printed (its words need no quoting).
    const [assignment = '', , , , ...args] = publish.split(' ');
    const published = await runCli(args, { PROMOTION_API_TOKEN: assignment.split('=')[1] ?? '' });
    expect(published).toMatch(/^published: shop 1\.1\.0 -> promotion \S+ \(running\)\n$/);

    demo.child.kill('SIGTERM');
    expect(await demo.exited).toBe(0);

    expect(demo.output()).toContain('stopped');
    expect(services.filter(isProcessGroupAlive)).toEqual([]);
    expect(isProcessAlive(redisPid)).toBe(false);
    expect(existsSync(stateDir)).toBe(false);
    await expect(fetch(page)).rejects.toThrow();
  }, 60_000);

  it('says the demo needs a clone, and starts nothing, where the stand-in is not installed', async () => {
    // A production install: the bot's code and its dependencies, without the stand-in's workspace package.
    const root = await mkdtemp(join(tmpdir(), 'pb-without-standin-'));
    try {
      await cp(join(ROOT, 'src'), join(root, 'src'), { recursive: true });
      await cp(join(ROOT, 'package.json'), join(root, 'package.json'));
      await mkdir(join(root, 'node_modules'));
      for (const name of await readdir(join(ROOT, 'node_modules'))) {
        if (name !== '@promotion-bot')
          await symlink(join(ROOT, 'node_modules', name), join(root, 'node_modules', name));
      }
      const demo = startDemoCommand(root);

      expect(await demo.exited).toBe(1);
      expect(demo.output()).toContain(STANDIN_MISSING);
      expect(demo.output()).not.toContain('redis-server started');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
