import { z } from 'zod';
import { parseDuration } from './duration.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type Role = 'all' | 'web' | 'worker';

/** The validated environment. Secrets are optional here: which ones a process needs depends on its role. */
export type Env = {
  readonly slackBotToken?: string;
  readonly slackSigningSecret?: string;
  readonly slackAppToken?: string;
  /** Always ends with `/`. */
  readonly slackApiUrl: string;
  readonly redisUrl: string;
  readonly redisPrefix: string;
  readonly pipelineFile: string;
  readonly port: number;
  readonly promotionApiToken?: string;
  readonly logLevel: LogLevel;
  readonly workerConcurrency: number;
  readonly jobLockDurationMs: number;
};

export type LoadEnvOptions = { readonly role: Role; readonly demo?: boolean };
export type LoadEnvResult = { ok: true; env: Env } | { ok: false; problems: string[] };

function isUrlWithProtocol(text: string, protocols: readonly string[]): boolean {
  try {
    return protocols.includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

function wholeNumber(min: number, max: number, message: string) {
  return z.string().transform((text, ctx) => {
    const value = Number(text);
    if (/^\d+$/.test(text) && value >= min && value <= max) return value;
    ctx.addIssue({ code: 'custom', message, input: text });
    return z.NEVER;
  });
}

const JobLockDuration = z.string().transform((text, ctx) => {
  const result = parseDuration(text);
  if (result.ok && result.milliseconds > 0) return result.milliseconds;
  const reason = result.ok ? 'it must be longer than 0' : result.message;
  ctx.addIssue({ code: 'custom', message: `must be a duration like 30s or 2m (${reason})`, input: text });
  return z.NEVER;
});

// Every message follows the variable's name: `PORT must be ...`. None of them repeats the value, which may be a
// secret (tokens, a password inside REDIS_URL).
const EnvVariables = z.object({
  SLACK_BOT_TOKEN: z
    .string()
    .startsWith(
      'xoxb-',
      'must start with xoxb-: use the Bot User OAuth Token from your Slack app (OAuth & Permissions)',
    )
    .optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_APP_TOKEN: z
    .string()
    .startsWith(
      'xapp-',
      'must start with xapp-: use an app-level token with the connections:write scope (Basic Information)',
    )
    .optional(),
  SLACK_API_URL: z
    .string()
    .refine(
      (text) => isUrlWithProtocol(text, ['http:', 'https:']),
      'must be an http(s) URL, like https://slack.com/api/',
    )
    .transform((text) => (text.endsWith('/') ? text : `${text}/`))
    .default('https://slack.com/api/'),
  REDIS_URL: z
    .string()
    .refine(
      (text) => isUrlWithProtocol(text, ['redis:', 'rediss:']),
      'must be a redis:// or rediss:// URL, like redis://127.0.0.1:6379',
    )
    .default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]+$/, 'must contain only letters, digits, "_" and "-", like pb')
    .default('pb'),
  PIPELINE_FILE: z.string().default('./pipeline.yml'),
  PORT: wholeNumber(0, 65_535, 'must be a whole number from 0 to 65535 (0 picks a free port)').default(3000),
  PROMOTION_API_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters long: generate one with `openssl rand -hex 32`')
    .optional(),
  LOG_LEVEL: z
    .string()
    .transform((text) => text.toLowerCase())
    .pipe(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }))
    .default('info'),
  WORKER_CONCURRENCY: wholeNumber(1, Number.MAX_SAFE_INTEGER, 'must be a whole number of at least 1').default(
    4,
  ),
  JOB_LOCK_DURATION: JobLockDuration.default(30_000),
});

type EnvName = keyof z.input<typeof EnvVariables>;
type EnvValues = z.output<typeof EnvVariables>;

const ENV_NAMES = Object.keys(EnvVariables.shape).filter(
  (name): name is EnvName => name in EnvVariables.shape,
);

/** Keeps only our variables; empty (or blank) values count as unset. */
function normalize(raw: Record<string, string | undefined>): Partial<Record<EnvName, string>> {
  const values: Partial<Record<EnvName, string>> = {};
  for (const name of ENV_NAMES) {
    const value = raw[name]?.trim();
    if (value) values[name] = value;
  }
  return values;
}

function missingProblems(values: Partial<Record<EnvName, string>>, options: LoadEnvOptions): string[] {
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
    redisPrefix: values.REDIS_PREFIX,
    pipelineFile: values.PIPELINE_FILE,
    port: values.PORT,
    ...(values.PROMOTION_API_TOKEN === undefined ? {} : { promotionApiToken: values.PROMOTION_API_TOKEN }),
    logLevel: values.LOG_LEVEL,
    workerConcurrency: values.WORKER_CONCURRENCY,
    jobLockDurationMs: values.JOB_LOCK_DURATION,
  };
}

/** Validates the environment for one process role; every problem names its variable and says what to set. */
export function loadEnv(raw: Record<string, string | undefined>, options: LoadEnvOptions): LoadEnvResult {
  const values = normalize(raw);
  const parsed = EnvVariables.safeParse(values);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`);
  problems.push(...missingProblems(values, options));
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, env: toEnv(parsed.data) };
}
