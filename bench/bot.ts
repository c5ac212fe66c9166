// A real bot in this process, like test/support/test-bot.ts's startTestBot, which benchmarks cannot call: it
// finds Redis through vitest's inject(), which throws outside a vitest run. Production timings throughout
// (sweeper, lock duration, Slack coalescing) and logs at `info`, written to /dev/null so their cost is paid.
import { dirname } from 'node:path';
import { pino } from 'pino';
import { loadEnv } from '../src/config/env.js';
import { formatProblems, loadPipelineFile } from '../src/config/load-pipeline.js';
import type { Notifier } from '../src/engine/ports.js';
import { type BotOptions, type RunningBot, startBot } from '../src/main.js';
import { API_TOKEN } from '../test/support/test-bot.js';

export type BenchBot = RunningBot & {
  readonly url: string;
  publish(service: string, version: string, digest: string): Promise<string>;
};

export async function startBenchBot(options: {
  redisUrl: string;
  prefix: string;
  pipelineFile: string;
  env?: Readonly<Record<string, string>>;
  notifier?: Notifier;
  slackDelivery?: BotOptions['slackDelivery'];
  /** `web` serves the API and runs commands, leaving the jobs to worker processes (default `all`). */
  role?: 'all' | 'web';
}): Promise<BenchBot> {
  const role = options.role ?? 'all';
  const loaded = loadEnv(
    {
      REDIS_URL: options.redisUrl,
      REDIS_PREFIX: options.prefix,
      PORT: '0',
      PROMOTION_API_TOKEN: API_TOKEN,
      PIPELINE_FILE: options.pipelineFile,
      LOG_LEVEL: 'info',
      ...options.env,
    },
    { role, demo: true },
  );
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  const pipeline = await loadPipelineFile(options.pipelineFile);
  if (!pipeline.ok) throw new Error(formatProblems(pipeline.problems, options.pipelineFile).join('\n'));
  const log = pino({ level: loaded.env.logLevel }, pino.destination({ dest: '/dev/null', sync: false }));
  const bot = await startBot({
    env: loaded.env,
    role,
    pipeline: pipeline.pipeline,
    pipelineDir: dirname(options.pipelineFile),
    log,
    ...(options.notifier ? { notifier: options.notifier } : {}),
    ...(options.slackDelivery ? { slackDelivery: options.slackDelivery } : {}),
  });
  return {
    ...bot,
    url: (bot.url ?? '').replace('0.0.0.0', '127.0.0.1'),
    async publish(service, version, digest) {
      const result = await bot.commands.publish({ service, version, digest }, 'U0CI');
      if (result.kind !== 'created') throw new Error(`publish ${service} ${version}: ${result.kind}`);
      return result.promotion.id;
    },
  };
}

/** POST /api/artifacts, as CI does it. */
export async function publishOverHttp(
  url: string,
  artifact: { service: string; version: string; digest: string },
): Promise<string> {
  const response = await fetch(`${url}/api/artifacts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(artifact),
  });
  const body = (await response.json()) as { id?: string };
  if (response.status !== 202 || !body.id)
    throw new Error(`publish ${artifact.service} ${artifact.version}: ${response.status}`);
  return body.id;
}
