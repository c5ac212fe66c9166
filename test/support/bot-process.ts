import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { API_TOKEN } from './test-bot.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Node's flag that loads workspace packages (the stand-in) from their sources, as vitest does: no build needed. */
export const SOURCES = '--conditions=promotion-bot-source';

export type BotProcess = {
  readonly child: ChildProcess;
  readonly pid: number;
  output(): string;
  /** What it wrote to stdout alone. */
  stdout(): string;
  /** Resolves with the exit code (or the signal's name) once the process has gone. */
  exited: Promise<number | string>;
};

/** How the bot is run: from its sources through tsx (no build needed), or `node dist/cli.js` as users run it. */
export type BotBuild = 'sources' | 'compiled';

const ENTRY: Record<BotBuild, readonly string[]> = {
  sources: ['--import', 'tsx', SOURCES, 'src/cli.ts'],
  compiled: ['dist/cli.js'],
};

export type SpawnOptions = {
  readonly build?: BotBuild;
  /** To node itself (a benchmark's `--cpu-prof`, which NODE_OPTIONS does not take on Node 20). */
  readonly nodeArgs?: readonly string[];
};

/** `promotion-bot <args>` as a real child process (through tsx unless told to run the compiled build). */
export function spawnBot(
  args: readonly string[],
  env: Record<string, string>,
  { build = 'sources', nodeArgs = [] }: SpawnOptions = {},
): BotProcess {
  const child = spawn(process.execPath, [...nodeArgs, ...ENTRY[build], ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PROMOTION_API_TOKEN: API_TOKEN,
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: 'test-signing-secret',
      PORT: '0',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  if (child.pid === undefined) throw new Error('could not spawn promotion-bot');
  return { child, pid: child.pid, output: () => output, stdout: () => stdout, exited };
}
