// A real bot as its own process (`promotion-bot start` via test/support's spawnBot: through tsx, or the compiled
// build, which the caller must have built), for measures that must not share an event loop or a heap with the
// load generator: ack latency and RSS.
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { type BotBuild, spawnBot } from '../test/support/bot-process.js';
import { freePort } from '../test/support/redis-server.js';
import { waitFor } from '../test/support/wait-for.js';
import { track } from './children.js';

/** Every benchmark's Slack app: the signing secret its signed requests use, and the token the stand-ins accept. */
export const SIGNING_SECRET = 'test-signing-secret';
export const BOT_TOKEN = 'xoxb-test-token';

/** A benchmark bot's (or bare app's) Slack settings: the stand-in at `apiUrl`, SLACK_POSTS_PER_SECOND if given. */
export function benchSlackEnv(apiUrl: string, postsPerSecond?: number): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: apiUrl,
    ...(postsPerSecond === undefined ? {} : { SLACK_POSTS_PER_SECOND: String(postsPerSecond) }),
  };
}

export type BotProcess = {
  readonly url: string;
  readonly pid: number;
  /** Its stdout (the JSON log lines), for a benchmark that follows what it does. */
  readonly stdout: Readable;
  rssKb(): Promise<number>;
  stop(): Promise<void>;
};

export async function startBotProcess(
  env: Record<string, string>,
  {
    role = 'all',
    nodeArgs = [],
    build = 'sources',
    readyWithinMs = 30_000,
  }: {
    role?: 'all' | 'worker';
    nodeArgs?: readonly string[];
    build?: BotBuild;
    /** Longer for a pipeline of thousands of services, which takes seconds to parse and check. */
    readyWithinMs?: number;
  } = {},
): Promise<BotProcess> {
  const port = await freePort();
  const bot = spawnBot(
    ['start', '--role', role],
    { LOG_LEVEL: 'info', ...env, PORT: String(port) },
    { build, nodeArgs },
  );
  track(bot.child);
  const url = `http://127.0.0.1:${port}`;
  const ready = waitFor(
    'the bot process to answer /readyz',
    async () => bot.child.exitCode !== null || (await fetch(`${url}/readyz`)).status === 200,
    readyWithinMs,
  ).then(
    () => (bot.child.exitCode === null ? 'ready' : `exited with ${bot.child.exitCode}`),
    (error: unknown) => String(error),
  );
  const outcome = await Promise.race([ready, bot.exited.then((code) => `exited with ${code}`)]);
  if (outcome !== 'ready') {
    bot.child.kill('SIGKILL');
    throw new Error(`the bot process is not ready (${outcome}):\n${bot.output().slice(-2000)}`);
  }
  if (!bot.child.stdout) throw new Error('the bot process has no stdout');
  return {
    url,
    pid: bot.pid,
    stdout: bot.child.stdout,
    rssKb: () => rssKb(bot.pid),
    async stop() {
      bot.child.kill('SIGTERM');
      const timer = setTimeout(() => bot.child.kill('SIGKILL'), 10_000);
      await bot.exited;
      clearTimeout(timer);
    },
  };
}

/** VmRSS from /proc: the resident set of one process, in KiB. */
export async function rssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match?.[1]) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]);
}

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (clock ticks of 10 ms). */
export async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces: utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
