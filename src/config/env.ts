import type { z } from 'zod';
import { EnvVariables, type LogLevel } from './env-variables.js';
import { type ReadSecretFile, readSecretFiles } from './secret-files.js';

export { LOG_LEVELS, type LogLevel } from './env-variables.js';

export type Role = 'all' | 'web' | 'worker';

/** The validated environment. Secrets are optional here: which ones a process needs depends on its role. */
export type Env = {
  readonly slackBotToken?: string;
  readonly slackSigningSecret?: string;
  readonly slackAppToken?: string;
  /** Always ends with `/`. */
  readonly slackApiUrl: string;
  readonly redisUrl: string;
  /** Where Redis is: one server (REDIS_URL), a Cluster, or a primary found through Sentinel. */
  readonly redisTopology: RedisTopology;
  readonly redisPrefix: string;
  readonly pipelineFile: string;
  readonly port: number;
  /** The address the HTTP server binds. */
  readonly host: string;
  /** The OS user `run` steps execute as; unset: an unprivileged default when the bot runs as root. */
  readonly stepUser?: string;
  readonly promotionApiToken?: string;
  readonly logLevel: LogLevel;
  readonly workerConcurrency: number;
  readonly jobLockDurationMs: number;
  /** Messages per second the bot posts into one channel; Slack's limit is about 1. */
  readonly slackPostsPerSecond: number;
  /** How long finished promotions stay in Redis (RETENTION). */
  readonly retentionMs: number;
  /** How long audit entries stay (AUDIT_RETENTION). */
  readonly auditRetentionMs: number;
};

export type RedisHost = { readonly host: string; readonly port: number };

/** `url` still carries the password and TLS choice (rediss://) for the cluster and sentinel cases. */
export type RedisTopology =
  | { readonly kind: 'single'; readonly url: string }
  | { readonly kind: 'cluster'; readonly nodes: readonly RedisHost[]; readonly url: string }
  | {
      readonly kind: 'sentinel';
      readonly sentinels: readonly RedisHost[];
      readonly name: string;
      readonly url: string;
    };

export type LoadEnvOptions = {
  readonly role: Role;
  readonly demo?: boolean;
  readonly readSecretFile?: ReadSecretFile;
};
export type LoadEnvResult = { ok: true; env: Env } | { ok: false; problems: string[] };

type EnvValues = z.output<typeof EnvVariables>;
type RawValues = Readonly<Record<string, string>>;

/** Empty (or blank) values count as unset; the schema ignores variables that are not ours. */
function normalize(raw: Record<string, string | undefined>): RawValues {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    const trimmed = value?.trim();
    if (trimmed) values[name] = trimmed;
  }
  return values;
}

function missingProblems(values: RawValues, options: LoadEnvOptions): string[] {
  if (options.demo) return [];
  const problems: string[] = [];
  const servesSlack = options.role !== 'worker';
  if (!values.SLACK_BOT_TOKEN) {
    problems.push('SLACK_BOT_TOKEN is required: set it to the bot token from your Slack app (xoxb-…)');
  }
  if (servesSlack && !values.SLACK_SIGNING_SECRET && !values.SLACK_APP_TOKEN) {
    problems.push(
      'SLACK_SIGNING_SECRET is required: set it to the signing secret from your Slack app (Basic Information), or set SLACK_APP_TOKEN (xapp-…) to use Socket Mode',
    );
  }
  if (servesSlack && !values.PROMOTION_API_TOKEN) {
    problems.push(
      'PROMOTION_API_TOKEN is required: set it to a random secret of at least 16 characters that CI sends as a bearer token',
    );
  }
  return problems;
}

function toEnv(values: EnvValues): Env {
  return {
    ...(values.SLACK_BOT_TOKEN === undefined ? {} : { slackBotToken: values.SLACK_BOT_TOKEN }),
    ...(values.SLACK_SIGNING_SECRET === undefined ? {} : { slackSigningSecret: values.SLACK_SIGNING_SECRET }),
    ...(values.SLACK_APP_TOKEN === undefined ? {} : { slackAppToken: values.SLACK_APP_TOKEN }),
    slackApiUrl: values.SLACK_API_URL,
    redisUrl: values.REDIS_URL,
    redisTopology: topologyOf(values),
    redisPrefix: values.REDIS_PREFIX,
    pipelineFile: values.PIPELINE_FILE,
    port: values.PORT,
    host: values.HOST,
    ...(values.STEP_USER === undefined ? {} : { stepUser: values.STEP_USER }),
    ...(values.PROMOTION_API_TOKEN === undefined ? {} : { promotionApiToken: values.PROMOTION_API_TOKEN }),
    logLevel: values.LOG_LEVEL,
    workerConcurrency: values.WORKER_CONCURRENCY,
    jobLockDurationMs: values.JOB_LOCK_DURATION,
    slackPostsPerSecond: values.SLACK_POSTS_PER_SECOND,
    retentionMs: values.RETENTION,
    auditRetentionMs: values.AUDIT_RETENTION,
  };
}

function topologyOf(values: EnvValues): RedisTopology {
  if (values.REDIS_CLUSTER_NODES)
    return { kind: 'cluster', nodes: values.REDIS_CLUSTER_NODES, url: values.REDIS_URL };
  if (values.REDIS_SENTINELS) {
    return {
      kind: 'sentinel',
      sentinels: values.REDIS_SENTINELS,
      name: values.REDIS_SENTINEL_NAME,
      url: values.REDIS_URL,
    };
  }
  return { kind: 'single', url: values.REDIS_URL };
}

/** Validates the environment for one process role; every problem names its variable and says what to set. */
export function loadEnv(raw: Record<string, string | undefined>, options: LoadEnvOptions): LoadEnvResult {
  const files = readSecretFiles(raw, options.readSecretFile);
  if (!files.ok) return { ok: false, problems: files.problems };
  const values = normalize(files.values);
  const parsed = EnvVariables.safeParse(values);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`);
  problems.push(...missingProblems(values, options));
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, env: toEnv(parsed.data) };
}
