import { dirname } from 'node:path';
import { pino } from 'pino';
import type { Role } from '../../src/config/env.js';
import { loadEnv } from '../../src/config/env.js';
import { formatProblems, loadPipelineFile } from '../../src/config/load-pipeline.js';
import type { Directory, Notifier } from '../../src/engine/ports.js';
import { type BotOptions, type RunningBot, startBot } from '../../src/main.js';
import { testRedisUrl, uniquePrefix } from './redis.js';

export const API_TOKEN = 'test-api-token-0123456789';

export type TestBot = RunningBot & {
  readonly url: string;
  readonly prefix: string;
  api(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
    // biome-ignore lint/suspicious/noExplicitAny: tests read JSON bodies field by field and assert on them
  ): Promise<{ status: number; body: any }>;
};

/** A real bot in this process: HTTP on a free port, workers, the run's Redis under a key prefix of its own. */
export async function startTestBot(options: {
  pipelineFile: string;
  role?: Role;
  prefix?: string;
  notifier?: Notifier;
  directory?: Directory;
  lockDuration?: string;
  /** More environment variables, e.g. SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and SLACK_API_URL to turn Slack on. */
  env?: Readonly<Record<string, string>>;
  /** The Slack delivery queue's timings: short ones keep tests fast. */
  slackDelivery?: BotOptions['slackDelivery'];
  /** Retries of one Slack Web API call before the delivery queue retries the whole delivery. */
  slackRetries?: number;
  /** How often the workers' retention pass runs (a minute by default). */
  retentionEveryMs?: number;
}): Promise<TestBot> {
  const prefix = options.prefix ?? uniquePrefix('bot');
  const loaded = loadEnv(
    {
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: prefix,
      PORT: '0',
      PROMOTION_API_TOKEN: API_TOKEN,
      PIPELINE_FILE: options.pipelineFile,
      JOB_LOCK_DURATION: options.lockDuration ?? '5s',
      WORKER_CONCURRENCY: '4',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ...options.env,
    },
    { role: options.role ?? 'all', demo: true },
  );
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  const pipeline = await loadPipelineFile(options.pipelineFile);
  if (!pipeline.ok) throw new Error(formatProblems(pipeline.problems, options.pipelineFile).join('\n'));
  const log = pino({ level: loaded.env.logLevel });
  const bot = await startBot({
    env: loaded.env,
    role: options.role ?? 'all',
    pipeline: pipeline.pipeline,
    pipelineDir: dirname(options.pipelineFile),
    log,
    sweepAfterMs: 1000,
    sweepEveryMs: 500,
    ...(options.notifier ? { notifier: options.notifier } : {}),
    ...(options.directory ? { directory: options.directory } : {}),
    ...(options.slackDelivery ? { slackDelivery: options.slackDelivery } : {}),
    ...(options.slackRetries === undefined ? {} : { slackRetries: options.slackRetries }),
    ...(options.retentionEveryMs === undefined ? {} : { retentionEveryMs: options.retentionEveryMs }),
  });
  const url = (bot.url ?? '').replace('0.0.0.0', '127.0.0.1');
  return {
    ...bot,
    url,
    prefix,
    async api(method, path, body, headers = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${API_TOKEN}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body: parsed };
    },
  };
}

let digestCounter = 0;

/** A fresh, well-formed sha256 digest for each artifact a test publishes. */
export function nextDigest(): string {
  digestCounter += 1;
  return `sha256:${digestCounter.toString(16).padStart(64, 'a')}`;
}
