import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../../src/config/env.js';

const BOT_TOKEN = 'xoxb-1111-2222-secretbot';
const SIGNING_SECRET = 'signing-secret-value-0123456789';
const API_TOKEN = 'api-token-0123456789abcdef';

const COMPLETE = {
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  PROMOTION_API_TOKEN: API_TOKEN,
};

function problemsOf(
  raw: Record<string, string | undefined>,
  role: 'all' | 'web' | 'worker' = 'all',
): string[] {
  const result = loadEnv(raw, { role });
  return result.ok ? [] : result.problems;
}

describe('loadEnv', () => {
  it('applies the defaults of the contract', () => {
    const result = loadEnv(COMPLETE, { role: 'all' });

    expect(result).toEqual({
      ok: true,
      env: {
        slackBotToken: BOT_TOKEN,
        slackSigningSecret: SIGNING_SECRET,
        promotionApiToken: API_TOKEN,
        slackApiUrl: 'https://slack.com/api/',
        redisUrl: 'redis://127.0.0.1:6379',
        redisTopology: { kind: 'single', url: 'redis://127.0.0.1:6379' },
        redisPrefix: 'pb',
        pipelineFile: './pipeline.yml',
        port: 3000,
        host: '0.0.0.0',
        logLevel: 'info',
        workerConcurrency: 4,
        jobLockDurationMs: 30_000,
        slackPostsPerSecond: 1,
        retentionMs: 90 * 24 * 3600 * 1000,
        auditRetentionMs: 400 * 24 * 3600 * 1000,
      },
    });
  });

  it('reads every variable it knows', () => {
    const result = loadEnv(
      {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_APP_TOKEN: 'xapp-1-socket',
        SLACK_API_URL: 'http://127.0.0.1:4000/api',
        REDIS_URL: 'rediss://user:pass@redis.internal:6380/2',
        REDIS_PREFIX: 'pb_test-1',
        PIPELINE_FILE: '/etc/promotion-bot/pipeline.yml',
        PORT: '0',
        HOST: '127.0.0.1',
        STEP_USER: 'promotion-step',
        PROMOTION_API_TOKEN: API_TOKEN,
        LOG_LEVEL: 'DEBUG',
        WORKER_CONCURRENCY: '16',
        JOB_LOCK_DURATION: '2m',
        RETENTION: '30d',
        AUDIT_RETENTION: '2y',
      },
      { role: 'all' },
    );

    expect(result).toEqual({
      ok: true,
      env: {
        slackBotToken: BOT_TOKEN,
        slackAppToken: 'xapp-1-socket',
        slackApiUrl: 'http://127.0.0.1:4000/api/',
        redisUrl: 'rediss://user:pass@redis.internal:6380/2',
        redisTopology: { kind: 'single', url: 'rediss://user:pass@redis.internal:6380/2' },
        redisPrefix: 'pb_test-1',
        pipelineFile: '/etc/promotion-bot/pipeline.yml',
        port: 0,
        host: '127.0.0.1',
        stepUser: 'promotion-step',
        promotionApiToken: API_TOKEN,
        logLevel: 'debug',
        workerConcurrency: 16,
        jobLockDurationMs: 120_000,
        slackPostsPerSecond: 1,
        retentionMs: 30 * 24 * 3600 * 1000,
        auditRetentionMs: 2 * 365.25 * 24 * 3600 * 1000,
      },
    });
  });

  it('selects a Redis Cluster from REDIS_CLUSTER_NODES and a Sentinel primary from REDIS_SENTINELS', () => {
    const cluster = loadEnv(
      { ...COMPLETE, REDIS_CLUSTER_NODES: '127.0.0.1:7000, 127.0.0.1:7001' },
      { role: 'all' },
    );
    const sentinel = loadEnv(
      { ...COMPLETE, REDIS_SENTINELS: 'sentinel-a:26379,sentinel-b:26379' },
      { role: 'all' },
    );

    expect(cluster.ok && cluster.env.redisTopology).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '127.0.0.1', port: 7000 },
        { host: '127.0.0.1', port: 7001 },
      ],
      url: 'redis://127.0.0.1:6379',
    });
    expect(sentinel.ok && sentinel.env.redisTopology).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 'sentinel-a', port: 26379 },
        { host: 'sentinel-b', port: 26379 },
      ],
      name: 'mymaster',
      url: 'redis://127.0.0.1:6379',
    });
  });

  it('refuses a host list entry without a port', () => {
    expect(problemsOf({ ...COMPLETE, REDIS_SENTINELS: 'sentinel-a' })).toEqual([
      'REDIS_SENTINELS each entry must be host:port',
    ]);
  });

  it('requires the bot token and says where to find it', () => {
    expect(problemsOf({ ...COMPLETE, SLACK_BOT_TOKEN: undefined })).toEqual([
      'SLACK_BOT_TOKEN is required: set it to the bot token from your Slack app (xoxb-…)',
    ]);
  });

  it('treats an empty variable as unset', () => {
    expect(problemsOf({ ...COMPLETE, SLACK_BOT_TOKEN: '', PORT: ' ' }, 'worker')).toEqual([
      'SLACK_BOT_TOKEN is required: set it to the bot token from your Slack app (xoxb-…)',
    ]);
  });

  it('rejects a bot token of the wrong kind without repeating it', () => {
    const problems = problemsOf({ ...COMPLETE, SLACK_BOT_TOKEN: 'xoxp-user-token-secret' });

    expect(problems).toEqual([
      'SLACK_BOT_TOKEN must start with xoxb-: use the Bot User OAuth Token from your Slack app (OAuth & Permissions)',
    ]);
    expect(problems.join('\n')).not.toContain('secret');
  });

  it('requires the signing secret for a web process without an app token', () => {
    expect(problemsOf({ ...COMPLETE, SLACK_SIGNING_SECRET: undefined }, 'web')).toEqual([
      'SLACK_SIGNING_SECRET is required: set it to the signing secret from your Slack app (Basic Information), or set SLACK_APP_TOKEN (xapp-…) to use Socket Mode',
    ]);
  });

  it('accepts an app token instead of the signing secret', () => {
    const result = loadEnv(
      { ...COMPLETE, SLACK_SIGNING_SECRET: undefined, SLACK_APP_TOKEN: 'xapp-1-a' },
      { role: 'web' },
    );

    expect(result.ok).toBe(true);
  });

  it('rejects an app token that is not an xapp- token', () => {
    expect(problemsOf({ ...COMPLETE, SLACK_APP_TOKEN: 'xoxb-wrong' })).toEqual([
      'SLACK_APP_TOKEN must start with xapp-: use an app-level token with the connections:write scope (Basic Information)',
    ]);
  });

  it('requires the API token for the roles that serve HTTP', () => {
    const expected = [
      'PROMOTION_API_TOKEN is required: set it to a random secret of at least 16 characters that CI sends as a bearer token',
    ];

    expect(problemsOf({ ...COMPLETE, PROMOTION_API_TOKEN: undefined }, 'web')).toEqual(expected);
    expect(problemsOf({ ...COMPLETE, PROMOTION_API_TOKEN: undefined }, 'all')).toEqual(expected);
  });

  it('needs only the bot token for a worker', () => {
    const result = loadEnv({ SLACK_BOT_TOKEN: BOT_TOKEN }, { role: 'worker' });

    expect(result.ok).toBe(true);
  });

  it('needs no Slack or API secret in demo mode', () => {
    const result = loadEnv({}, { role: 'all', demo: true });

    expect(result).toMatchObject({ ok: true, env: { port: 3000, redisPrefix: 'pb' } });
  });

  it('still checks the format of a secret that is set in demo mode', () => {
    const result = loadEnv({ SLACK_BOT_TOKEN: 'nope' }, { role: 'all', demo: true });

    expect(result).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/^SLACK_BOT_TOKEN must start with xoxb-/)],
    });
  });

  it('rejects a short API token without showing it', () => {
    const problems = problemsOf({ ...COMPLETE, PROMOTION_API_TOKEN: 'tooshort' });

    expect(problems).toEqual([
      'PROMOTION_API_TOKEN must be at least 16 characters long: generate one with `openssl rand -hex 32`',
    ]);
    expect(problems.join('\n')).not.toContain('tooshort');
  });

  it.each(['-1', '65536', '80.5', 'http'])('rejects the port %s', (port) => {
    expect(problemsOf({ ...COMPLETE, PORT: port })).toEqual([
      'PORT must be a whole number from 0 to 65535 (0 picks a free port)',
    ]);
  });

  it('rejects a Redis URL of another scheme without showing its password', () => {
    const problems = problemsOf({ ...COMPLETE, REDIS_URL: 'http://user:hunter2@redis:6379' });

    expect(problems).toEqual(['REDIS_URL must be a redis:// or rediss:// URL, like redis://127.0.0.1:6379']);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('rejects a Slack API URL that is not http(s)', () => {
    expect(problemsOf({ ...COMPLETE, SLACK_API_URL: 'slack.com/api' })).toEqual([
      'SLACK_API_URL must be an http(s) URL, like https://slack.com/api/',
    ]);
  });

  it('rejects a Redis prefix with a separator in it', () => {
    expect(problemsOf({ ...COMPLETE, REDIS_PREFIX: 'pb:prod' })).toEqual([
      'REDIS_PREFIX must contain only letters, digits, "_" and "-", like pb',
    ]);
  });

  it('rejects an unknown log level and lists the known ones', () => {
    expect(problemsOf({ ...COMPLETE, LOG_LEVEL: 'verbose' })).toEqual([
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    ]);
  });

  it.each(['0', '2.5', 'many'])('rejects the worker concurrency %s', (concurrency) => {
    expect(problemsOf({ ...COMPLETE, WORKER_CONCURRENCY: concurrency })).toEqual([
      'WORKER_CONCURRENCY must be a whole number of at least 1',
    ]);
  });

  it('rejects a job lock duration without a unit', () => {
    expect(problemsOf({ ...COMPLETE, JOB_LOCK_DURATION: '30' })).toEqual([
      'JOB_LOCK_DURATION must be a duration like 30s or 2m ("30" has no unit: write 30s for seconds, 30m for minutes or 30ms for milliseconds)',
    ]);
  });

  it('rejects a job lock duration of zero', () => {
    expect(problemsOf({ ...COMPLETE, JOB_LOCK_DURATION: '0s' })).toEqual([
      'JOB_LOCK_DURATION must be a duration like 30s or 2m (it must be longer than 0)',
    ]);
  });

  it('rejects a retention without a unit, naming the variable and an example', () => {
    expect(problemsOf({ ...COMPLETE, RETENTION: '90' })).toEqual([
      'RETENTION must be a duration like 90d or 12h ("90" has no unit: write 90s for seconds, 90m for minutes or 90ms for milliseconds)',
    ]);
  });

  it('rejects an audit retention that is not a duration, or zero', () => {
    expect(problemsOf({ ...COMPLETE, AUDIT_RETENTION: 'forever', RETENTION: '0d' })).toEqual([
      'RETENTION must be a duration like 90d or 12h (it must be longer than 0)',
      'AUDIT_RETENTION must be a duration like 400d or 30d ("forever" is not a duration: expected a duration like 30s, 5m or 24h)',
    ]);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({ PORT: 'x', LOG_LEVEL: 'loud' }, 'web');

    expect(problems).toHaveLength(5);
    expect(problems.map((problem) => problem.split(' ')[0])).toEqual([
      'PORT',
      'LOG_LEVEL',
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'PROMOTION_API_TOKEN',
    ]);
  });

  it('reads secrets from <NAME>_FILE, trimming one trailing newline, and never says the value', () => {
    const files: Record<string, string> = {
      '/run/secrets/bot': `${BOT_TOKEN}\n`,
      '/run/secrets/redis': 'redis://:s3cret@r:6379',
    };
    const read = (path: string) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
      return text;
    };
    const result = loadEnv(
      {
        SLACK_BOT_TOKEN_FILE: '/run/secrets/bot',
        REDIS_URL_FILE: '/run/secrets/redis',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        PROMOTION_API_TOKEN: API_TOKEN,
      },
      { role: 'all', readSecretFile: read },
    );
    expect(result.ok && result.env.slackBotToken).toBe(BOT_TOKEN);
    expect(result.ok && result.env.redisUrl).toBe('redis://:s3cret@r:6379');

    const missing = loadEnv(
      { PROMOTION_API_TOKEN_FILE: '/run/secrets/nope' },
      { role: 'worker', readSecretFile: read },
    );
    expect(missing).toEqual({
      ok: false,
      problems: ['PROMOTION_API_TOKEN_FILE could not be read (ENOENT): /run/secrets/nope'],
    });
    const both = loadEnv(
      { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_BOT_TOKEN_FILE: '/run/secrets/bot' },
      { role: 'worker', readSecretFile: read },
    );
    expect(both).toEqual({
      ok: false,
      problems: ['SLACK_BOT_TOKEN and SLACK_BOT_TOKEN_FILE are both set: set only one of them'],
    });
  });

  it('lets a worker start with only the bot token: it needs no signing secret or API token', () => {
    const result = loadEnv({ SLACK_BOT_TOKEN: BOT_TOKEN }, { role: 'worker' });
    expect(result.ok).toBe(true);
  });

  it('refuses a HOST or STEP_USER that is not an address or a user', () => {
    const result = loadEnv(
      { ...COMPLETE, HOST: '0.0.0.0; rm -rf /', STEP_USER: 'bad user' },
      { role: 'all' },
    );
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((p) => p.split(' ')[0])).toEqual(['HOST', 'STEP_USER']);
  });
});
