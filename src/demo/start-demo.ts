// startDemo: the whole flow on one machine. An ephemeral redis-server (unless REDIS_URL is given), the Slack
// stand-in, the bot (role all) pointed at it, and the example pipeline whose steps start local demo services.
// It publishes the good version; stop() ends everything it started, in reverse order.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadEnv } from '../config/env.js';
import { formatProblems, loadPipelineFile } from '../config/load-pipeline.js';
import { createLogger } from '../logger.js';
import { startBot } from '../main.js';
import { publishCommand } from '../publish-command.js';
import { COMMANDS } from '../slack/listeners/commands.js';
import { type Standin, startStandin } from '../standin/index.js';
import { type DemoPorts, EXAMPLE_DIR, portVariables, writeDemoPipeline } from './demo-pipeline.js';
import { createDemoSecrets, type DemoSecrets, demoDigest } from './demo-secrets.js';
import { stopDemoServices } from './demo-services.js';
import { DEMO_CHANNELS, DEMO_SERVICE, DEMO_USERS, GOOD_VERSION } from './demo-workspace.js';
import { startEphemeralRedis } from './ephemeral-redis.js';
import { freePorts } from './free-port.js';
import { createShutdownStack, type ShutdownStack } from './shutdown-stack.js';

export type DemoOptions = {
  /** REDIS_URL, LOG_LEVEL and PORT (the bot's) are read from here; everything else the demo makes up. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The stand-in page's port (default: a free one). */
  readonly port?: number;
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

  const standin = await startStandin({
    signingSecret: secrets.signingSecret,
    botToken: secrets.botToken,
    users: DEMO_USERS,
    channels: DEMO_CHANNELS,
    commands: COMMANDS,
    postsPerSecondPerChannel: 5,
    ...(options.port === undefined ? {} : { port: options.port }),
  });
  shutdown.push(() => standin.close());

  const [development = 0, staging = 0, production = 0] = await freePorts(3);
  const ports: DemoPorts = { development, staging, production };
  const pipelineFile = await writeDemoPipeline(stateDir, ports);
  const pipeline = await loadPipelineFile(pipelineFile);
  if (!pipeline.ok) throw new Error(formatProblems(pipeline.problems, pipelineFile).join('\n'));

  // The steps inherit the bot's environment: this is how deploy.sh finds its port, its pid files and its owner.
  const stepVariables = {
    ...portVariables(ports),
    DEMO_STATE_DIR: stateDir,
    DEMO_OWNER_PID: String(process.pid),
  };
  Object.assign(process.env, stepVariables);
  shutdown.push(async () => {
    for (const name of Object.keys(stepVariables)) delete process.env[name];
  });
  shutdown.push(() => stopDemoServices(stateDir));

  const loaded = loadEnv(
    {
      SLACK_BOT_TOKEN: secrets.botToken,
      SLACK_SIGNING_SECRET: secrets.signingSecret,
      SLACK_API_URL: standin.apiUrl,
      SLACK_POSTS_PER_SECOND: '5',
      REDIS_URL: redisUrl,
      REDIS_PREFIX: secrets.redisPrefix,
      PIPELINE_FILE: pipelineFile,
      PORT: options.env.PORT ?? '0',
      PROMOTION_API_TOKEN: secrets.apiToken,
      LOG_LEVEL: options.env.LOG_LEVEL ?? 'info',
    },
    { role: 'all', demo: true },
  );
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  const logFile = join(stateDir, 'bot.log');
  const log = createLogger({
    level: loaded.env.logLevel,
    destination: pino.destination({ dest: logFile, sync: true }),
  });
  const bot = await startBot({
    env: loaded.env,
    role: 'all',
    pipeline: pipeline.pipeline,
    pipelineDir: EXAMPLE_DIR,
    log,
    slackQueue: { coalesceMs: 100, retryDelayMs: 500 },
  });
  // Stopped first (the stack runs in reverse): a step still running when the bot stops may start a service.
  shutdown.push(() => bot.shutdown());
  const botUrl = (bot.url ?? '').replace('0.0.0.0', '127.0.0.1');
  standin.setRequestUrl(`${botUrl}/slack/events`);
  out(`bot started on ${botUrl}, talking to the stand-in at ${standin.apiUrl}`);

  async function publish(version: string): Promise<void> {
    const args = [
      '--service',
      DEMO_SERVICE,
      '--version',
      version,
      '--digest',
      demoDigest(DEMO_SERVICE, version),
    ];
    const code = await publishCommand(
      [...args, '--commit', demoDigest('commit', version).slice(7, 47), '--api', botUrl],
      { PROMOTION_API_TOKEN: secrets.apiToken },
      { out, err: out },
    );
    if (code !== 0) throw new Error(`could not publish ${DEMO_SERVICE} ${version}`);
  }
  await publish(GOOD_VERSION);

  return {
    standinUrl: standin.url,
    standin,
    botUrl,
    redisUrl,
    ...(redis ? { redisPid: redis.pid } : {}),
    secrets,
    stateDir,
    logFile,
    publish,
    stop: () => shutdown.stop(),
  };
}
