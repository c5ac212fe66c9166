// The bot of the demo: role all, its Slack pointed at the stand-in, its log in a file (the terminal is for the
// demo's instructions), and its steps run in examples/demo/.
import { pino } from 'pino';
import { loadEnv } from '../config/env.js';
import { formatProblems, loadPipelineFile } from '../config/load-pipeline.js';
import { createLogger } from '../logger.js';
import { type RunningBot, startBot } from '../main.js';
import { EXAMPLE_DIR } from './demo-pipeline.js';
import type { DemoSecrets } from './demo-secrets.js';

export type DemoBotOptions = {
  readonly secrets: DemoSecrets;
  /** What the demo's deploy and check scripts start from: the demo's environment and its ports. */
  readonly stepEnv: Readonly<Record<string, string | undefined>>;
  readonly slackApiUrl: string;
  readonly redisUrl: string;
  readonly pipelineFile: string;
  readonly logFile: string;
  /** PORT and LOG_LEVEL, when the person running the demo set them. */
  readonly env: Readonly<Record<string, string | undefined>>;
};

export async function startDemoBot(options: DemoBotOptions): Promise<RunningBot & { readonly url: string }> {
  const { secrets } = options;
  const loaded = loadEnv(
    {
      SLACK_BOT_TOKEN: secrets.botToken,
      SLACK_SIGNING_SECRET: secrets.signingSecret,
      SLACK_API_URL: options.slackApiUrl,
      SLACK_POSTS_PER_SECOND: '5',
      REDIS_URL: options.redisUrl,
      REDIS_PREFIX: secrets.redisPrefix,
      PIPELINE_FILE: options.pipelineFile,
      PORT: options.env.PORT ?? '0',
      PROMOTION_API_TOKEN: secrets.apiToken,
      LOG_LEVEL: options.env.LOG_LEVEL ?? 'info',
    },
    { role: 'all', demo: true },
  );
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  const pipeline = await loadPipelineFile(options.pipelineFile);
  if (!pipeline.ok) throw new Error(formatProblems(pipeline.problems, options.pipelineFile).join('\n'));
  const log = createLogger({
    level: loaded.env.logLevel,
    destination: pino.destination({ dest: options.logFile, sync: true }),
  });
  const bot = await startBot({
    env: loaded.env,
    role: 'all',
    pipeline: pipeline.pipeline,
    pipelineDir: EXAMPLE_DIR,
    log,
    slackDelivery: { coalesceMs: 100, retryDelayMs: 500, unreachableRetryMs: 10_000 },
    stepBaseEnv: options.stepEnv,
  });
  // The HTTP server listens on every interface; the demo's own links use the loopback address.
  return { ...bot, url: (bot.url ?? '').replace('0.0.0.0', '127.0.0.1') };
}
