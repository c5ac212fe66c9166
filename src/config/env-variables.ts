// The environment variables of the contract's table plus the worker settings, as a zod schema of raw strings.
import { z } from 'zod';
import { parseDuration } from './duration.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

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

/** A duration longer than 0, in milliseconds; `examples` in the message, like `30s or 2m`. */
function positiveDuration(examples: string) {
  return z.string().transform((text, ctx) => {
    const result = parseDuration(text);
    if (result.ok && result.milliseconds > 0) return result.milliseconds;
    const reason = result.ok ? 'it must be longer than 0' : result.message;
    ctx.addIssue({ code: 'custom', message: `must be a duration like ${examples} (${reason})`, input: text });
    return z.NEVER;
  });
}

const DAY_MS = 24 * 3600 * 1000;

// Every message follows the variable's name: `PORT must be ...`. None of them repeats the value, which may be a
// secret (tokens, a password inside REDIS_URL).
/** `host:port,host:port`: the seed nodes of a Redis Cluster, or the sentinels of a Sentinel-managed primary. */
const HostList = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(
        z
          .string()
          .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'each entry must be host:port')
          .transform((entry) => {
            const at = entry.lastIndexOf(':');
            return { host: entry.slice(0, at), port: Number(entry.slice(at + 1)) };
          }),
      )
      .min(1, 'must list at least one host:port'),
  );

export const EnvVariables = z.object({
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
  REDIS_CLUSTER_NODES: HostList.optional(),
  REDIS_SENTINELS: HostList.optional(),
  REDIS_SENTINEL_NAME: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, 'must be the master name the sentinels watch, like mymaster')
    .default('mymaster'),
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]+$/, 'must contain only letters, digits, "_" and "-", like pb')
    .default('pb'),
  PIPELINE_FILE: z.string().default('./pipeline.yml'),
  PORT: wholeNumber(0, 65_535, 'must be a whole number from 0 to 65535 (0 picks a free port)').default(3000),
  HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:_-]+$/, 'must be an address to listen on, like 0.0.0.0, 127.0.0.1 or ::')
    .default('0.0.0.0'),
  STEP_USER: z
    .string()
    .regex(
      /^([a-z_][a-z0-9_-]*\$?|\d+)$/,
      'must be a user name or a numeric user id, like promotion-step or 10001',
    )
    .optional(),
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
  JOB_LOCK_DURATION: positiveDuration('30s or 2m').default(30_000),
  /** How long finished promotions stay in Redis. */
  RETENTION: positiveDuration('90d or 12h').default(90 * DAY_MS),
  /** How long audit entries stay, their promotions removed or not. */
  AUDIT_RETENTION: positiveDuration('400d or 30d').default(400 * DAY_MS),
  SLACK_POSTS_PER_SECOND: wholeNumber(
    1,
    100,
    'must be a whole number from 1 to 100 (Slack allows about 1 message per second per channel)',
  ).default(1),
});
