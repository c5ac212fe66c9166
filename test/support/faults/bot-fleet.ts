import { type BotProcess, spawnBot } from '../bot-process.js';
import { freePort } from '../redis-server.js';
import { type Api, apiClient } from './api-client.js';

// Real `promotion-bot start --role …` processes sharing one Redis and key prefix: the way a team scales out.
// The fleet remembers every process it started, so a test's cleanup can stop them all.

export type FleetOptions = {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly pipelineFile: string;
  /** Environment every process of the fleet gets: JOB_LOCK_DURATION, SLACK_API_URL, … */
  readonly env?: Readonly<Record<string, string>>;
};

/** A running bot process and its HTTP address (every role serves /healthz and /readyz; web the API too). */
export type ServingProcess = BotProcess & { readonly url: string; readonly api: Api };

export type Fleet = {
  /** Starts a worker process and resolves once its workers run. */
  worker(env?: Readonly<Record<string, string>>): Promise<ServingProcess>;
  /** Starts a web process on a free port and resolves once it serves HTTP. */
  web(env?: Readonly<Record<string, string>>): Promise<ServingProcess>;
  /** SIGKILLs every process still running and waits until each has gone. */
  stop(): Promise<void>;
};

const STARTUP_MS = 60_000;

export function createFleet(options: FleetOptions): Fleet {
  const processes: BotProcess[] = [];

  /** Every process listens on a port of its own: two on one host must not both take the default 3000. */
  async function start(
    role: 'web' | 'worker',
    env: Readonly<Record<string, string>>,
  ): Promise<ServingProcess> {
    const port = await freePort();
    const bot = spawnBot(['start', '--role', role], {
      REDIS_URL: options.redisUrl,
      REDIS_PREFIX: options.prefix,
      PIPELINE_FILE: options.pipelineFile,
      PORT: String(port),
      ...options.env,
      ...env,
    });
    processes.push(bot);
    await logged(bot, 'promotion-bot started');
    const url = `http://127.0.0.1:${port}`;
    return { ...bot, url, api: apiClient(url) };
  }

  return {
    worker: (env = {}) => start('worker', env),
    web: (env = {}) => start('web', env),
    async stop() {
      await Promise.all(
        processes.map(async (bot) => {
          if (isRunning(bot)) bot.child.kill('SIGKILL');
          await bot.exited;
        }),
      );
    },
  };
}

export function isRunning(bot: BotProcess): boolean {
  return bot.child.exitCode === null && bot.child.signalCode === null;
}

/** Resolves once the process has logged `message` (pino's `msg`); rejects with its output if it exits first. */
export function logged(bot: BotProcess, message: string, timeoutMs = STARTUP_MS): Promise<void> {
  const needle = `"msg":"${message}"`;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`no "${message}" after ${timeoutMs} ms:\n${bot.output()}`)),
      timeoutMs,
    );
    timer.unref();
    const onData = () => {
      if (bot.output().includes(needle)) finish();
    };
    const onExit = () => finish(new Error(`exited before "${message}":\n${bot.output()}`));
    function finish(error?: Error): void {
      clearTimeout(timer);
      bot.child.stdout?.off('data', onData);
      bot.child.stderr?.off('data', onData);
      bot.child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    }
    bot.child.stdout?.on('data', onData);
    bot.child.stderr?.on('data', onData);
    bot.child.once('exit', onExit);
    if (!isRunning(bot)) onExit();
    onData();
  });
}

/** Pino's JSON lines of a process, parsed (other lines are left out). */
export function logLines(bot: BotProcess): Array<Record<string, unknown>> {
  return bot
    .output()
    .split('\n')
    .flatMap((line) => {
      if (!line.startsWith('{')) return [];
      try {
        const entry: Record<string, unknown> = JSON.parse(line);
        return [entry];
      } catch {
        return [];
      }
    });
}
