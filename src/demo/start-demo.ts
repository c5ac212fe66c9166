// startDemo: the whole flow on one machine. An ephemeral redis-server (unless REDIS_URL is given), the Slack
// stand-in, the bot (role all) pointed at it, and the example pipeline whose steps start local demo services.
// It publishes the good version; stop() ends everything it started, in reverse order.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manifestBotScopes, type Standin, startStandin } from '@promotion-bot/standin';
import { COMMANDS } from '../slack/listeners/commands.js';
import { startDemoBot } from './demo-bot.js';
import { type DemoPorts, portVariables, writeDemoPipeline } from './demo-pipeline.js';
import { createPublisher } from './demo-publish.js';
import { createDemoSecrets, type DemoSecrets } from './demo-secrets.js';
import { stopDemoServices } from './demo-services.js';
import { DEMO_CHANNELS, DEMO_USERS, GOOD_VERSION } from './demo-workspace.js';
import { startEphemeralRedis } from './ephemeral-redis.js';
import { freePorts } from './free-port.js';
import { createShutdownStack, type ShutdownStack } from './shutdown-stack.js';
import { onStablePort } from './standin-port.js';

/** The app's manifest.yml at the repository's root: this module sits one folder below src/ (tsx) or dist/. */
const APP_MANIFEST = new URL('../../manifest.yml', import.meta.url);

export type DemoOptions = {
  /** REDIS_URL, LOG_LEVEL and PORT (the bot's) are read from here; everything else the demo makes up. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The stand-in page's port (`--port`); without it the same port every run, unless that one is taken. */
  readonly port?: number;
  /** The port tried first without `port` (default DEFAULT_STANDIN_PORT). */
  readonly preferredPort?: number;
  /** Progress lines for the terminal. */
  readonly out: (line: string) => void;
};

export type RunningDemo = {
  readonly standinUrl: string;
  readonly standin: Standin;
  readonly botUrl: string;
  readonly redisUrl: string;
  /** The ephemeral redis-server's pid, when the demo started one. */
  readonly redisPid?: number;
  readonly secrets: DemoSecrets;
  /** Where the pipeline, pid files and logs live while the demo runs (removed by stop()). */
  readonly stateDir: string;
  readonly logFile: string;
  /** Publishes `version` of the demo service, as CI would. */
  publish(version: string): Promise<void>;
  stop(): Promise<void>;
};

export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const shutdown = createShutdownStack();
  try {
    return await start(options, shutdown);
  } catch (error) {
    await shutdown.stop();
    throw error;
  }
}

async function start(options: DemoOptions, shutdown: ShutdownStack): Promise<RunningDemo> {
  const { out } = options;
  const stateDir = await mkdtemp(join(tmpdir(), 'promotion-bot-demo-'));
  // The demo's steps (as an unprivileged user when the demo runs as root) keep their services' pid and log files here.
  await chmod(stateDir, 0o1777);
  shutdown.push(() => rm(stateDir, { recursive: true, force: true }));
  const secrets = createDemoSecrets();

  const redis = options.env.REDIS_URL ? undefined : await startEphemeralRedis(join(stateDir, 'redis'));
  if (redis) shutdown.push(() => redis.stop());
  const redisUrl = options.env.REDIS_URL ?? redis?.url ?? '';
  out(
    redis
      ? `redis-server started on ${redisUrl} (ephemeral, pid ${redis.pid})`
      : 'using the Redis at REDIS_URL',
  );

  const { listening: standin, taken } = await onStablePort(
    (port) =>
      startStandin({
        signingSecret: secrets.signingSecret,
        botToken: secrets.botToken,
        users: DEMO_USERS,
        channels: DEMO_CHANNELS,
        scopes: manifestBotScopes(APP_MANIFEST),
        commands: COMMANDS,
        postsPerSecondPerChannel: 5,
        port,
      }),
    { port: options.port, preferred: options.preferredPort },
  );
  shutdown.push(() => standin.close());
  if (taken !== undefined) out(`port ${taken} is taken: the stand-in is on another port this time`);

  const [development = 0, staging = 0, production = 0] = await freePorts(3);
  const ports: DemoPorts = { development, staging, production };
  const pipelineFile = await writeDemoPipeline(stateDir, ports);

  // The steps start from the demo's environment plus these: how deploy.sh finds its port, pid files and owner.
  const stepEnv = {
    ...options.env,
    ...portVariables(ports),
    DEMO_STATE_DIR: stateDir,
    DEMO_OWNER_PID: String(process.pid),
  };
  shutdown.push(() => stopDemoServices(stateDir));

  const logFile = join(stateDir, 'bot.log');
  const bot = await startDemoBot({
    secrets,
    slackApiUrl: standin.apiUrl,
    redisUrl,
    pipelineFile,
    logFile,
    env: options.env,
    stepEnv,
  });
  // Stopped first (the stack runs in reverse): a step still running when the bot stops may start a service.
  shutdown.push(() => bot.shutdown());
  standin.setRequestUrl(`${bot.url}/slack/events`);
  out(`bot started on ${bot.url}, talking to the stand-in at ${standin.apiUrl}`);

  const publish = createPublisher(bot.url, secrets.apiToken, out);
  await publish(GOOD_VERSION);

  return {
    standinUrl: standin.url,
    standin,
    botUrl: bot.url,
    redisUrl,
    ...(redis ? { redisPid: redis.pid } : {}),
    secrets,
    stateDir,
    logFile,
    publish,
    stop: () => shutdown.stop(),
  };
}
