import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotProcess, spawnBot } from '../../support/bot-process.js';
import { type FakeSlack, startFakeSlack, TEST_CHANNELS } from '../../support/fake-slack/index.js';
import { type BotSecrets, newBotSecrets, secretsIn } from '../../support/leak-watch.js';
import { freePort, type RedisServer, startRedisServer } from '../../support/redis-server.js';
import { sendSlashCommand } from '../../support/slack-requests.js';
import { nextDigest } from '../../support/test-bot.js';
import { waitFor } from '../../support/wait-for.js';
import { createWorkspace, testPipeline, type Workspace } from '../../support/workspace.js';

// The faults that used to leak secrets, run for real against `promotion-bot start` with real-looking secret values
// (bot token, signing secret, app token, API token, Redis password, a response_url): Slack unreachable at start,
// Slack gone while a promotion posts, a reply to a response_url that fails, a wrong Redis password. Each test first
// makes sure its fault happened (the log names it by code), then that nothing the bot wrote (stdout, stderr, at
// debug level), sent to Slack, or answered over HTTP holds any of the secrets.

const secrets: BotSecrets = newBotSecrets();
/** Everything the bot answered over HTTP (API and /slack/events), and every Slack stand-in it talked to. */
const answered: string[] = [];
const slacks: FakeSlack[] = [];

let redis: RedisServer;
let workspace: Workspace;
let slackPort: number;
let slack: FakeSlack | undefined;
let bot: BotProcess;
let botUrl: string;

function startSlack(): Promise<FakeSlack> {
  return startFakeSlack({
    token: secrets.botToken,
    port: slackPort,
    postsPerSecondPerChannel: 50,
    channels: TEST_CHANNELS,
  }).then((fake) => {
    slacks.push(fake);
    return fake;
  });
}

/** What Slack received from the bot: every Web API call and response_url post, and the messages they made. */
function sentToSlack(): string {
  return JSON.stringify(slacks.map((fake) => ({ calls: fake.calls, messages: fake.messages() })));
}

function expectNoSecretAnywhere(output: string): void {
  expect(secretsIn(output, secrets), 'secrets in the bot’s stdout/stderr').toEqual([]);
  expect(secretsIn(sentToSlack(), secrets), 'secrets sent to Slack').toEqual([]);
  expect(secretsIn(answered.join('\n'), secrets), 'secrets in HTTP answers').toEqual([]);
}

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> {
  const response = await fetch(`${botUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${secrets.apiToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  answered.push(text);
  return { status: response.status, body: text };
}

async function slashCommand(command: string, text: string, responseUrl: string): Promise<number> {
  const response = await sendSlashCommand(`${botUrl}/slack/events`, secrets.signingSecret, {
    command,
    text,
    userId: 'U0ALICE',
    channelId: 'C0DEPLOYS',
    responseUrl,
  });
  answered.push(response.body);
  return response.status;
}

/** Lines of the bot's log whose message is `msg`. */
function logLines(output: string, msg: string): Array<Record<string, unknown>> {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.msg === msg);
}

function count(output: string, msg: string): number {
  return logLines(output, msg).length;
}

beforeAll(async () => {
  redis = await startRedisServer({ password: secrets.redisPassword });
  workspace = await createWorkspace();
  slackPort = await freePort();
  const pipelineFile = await workspace.writePipeline(testPipeline({ prometheusUrl: 'http://127.0.0.1:9' }));
  bot = spawnBot(['start'], {
    SLACK_BOT_TOKEN: secrets.botToken,
    SLACK_SIGNING_SECRET: secrets.signingSecret,
    PROMOTION_API_TOKEN: secrets.apiToken,
    // Nothing listens here yet: Slack is unreachable when the bot starts.
    SLACK_API_URL: `http://127.0.0.1:${slackPort}/api/`,
    REDIS_URL: `redis://:${secrets.redisPassword}@127.0.0.1:${redis.port}`,
    REDIS_PREFIX: `leak${randomBytes(3).toString('hex')}`,
    PIPELINE_FILE: pipelineFile,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'debug',
  });
  botUrl = await waitFor('the bot to listen', () => /"url":"(http:[^"]+)"/.exec(bot.output())?.[1]);
});

afterAll(async () => {
  bot?.child.kill('SIGKILL');
  await slack?.close();
  await redis?.stop();
  await workspace?.remove();
});

describe('secrets under faults', { timeout: 120_000 }, () => {
  it('Slack unreachable at start: the bot retries, saying only why, and starts once Slack answers', async () => {
    await waitFor(
      'two failed auth.test attempts',
      () => count(bot.output(), 'slack auth.test failed; retrying') >= 2,
      20_000,
    );
    expect(bot.child.exitCode).toBeNull();
    expect(logLines(bot.output(), 'slack auth.test failed; retrying')[0]).toMatchObject({
      code: 'slack_webapi_request_error',
    });

    slack = await startSlack();
    await waitFor('the bot to connect to Slack', () => count(bot.output(), 'slack connected') === 1, 30_000);
    expect(await slashCommand('/promotions', '', slack.responseUrl())).toBe(200);
    await waitFor('the reply to /promotions', () => slack?.responses.length === 1);

    expectNoSecretAnywhere(bot.output());
  });

  it('Slack gone while a promotion posts: delivery fails by code and carries on when Slack is back', async () => {
    const live = slack;
    if (!live) throw new Error('the first test starts Slack');
    await live.close();
    slack = undefined;

    const published = await api('POST', '/api/artifacts', {
      service: 'checkout',
      version: '1.0.0',
      digest: nextDigest(),
    });
    expect(published.status).toBe(202);
    await waitFor(
      'a failed delivery',
      () => count(bot.output(), 'slack call failed; trying again later') >= 1,
      30_000,
    );
    expect(logLines(bot.output(), 'slack call failed; trying again later')[0]).toMatchObject({
      err: { code: 'slack_webapi_request_error' },
    });

    const back = await startSlack();
    slack = back;
    await waitFor(
      'the promotion message once Slack is back',
      () => back.messages('C0DEPLOYS').some((message) => message.text.startsWith('checkout 1.0.0')),
      60_000,
    );
    await api('GET', `/api/promotions/${JSON.parse(published.body).id}`);

    expectNoSecretAnywhere(bot.output());
  });

  it('a reply to a response_url that fails is logged by code and status, without the URL', async () => {
    const live = slack;
    if (!live) throw new Error('the second test starts Slack again');
    const closed = await freePort();
    const before = count(bot.output(), 'slack listener failed');

    expect(
      await slashCommand(
        '/promotions',
        'checkout',
        `http://127.0.0.1:${closed}/commands/T0TEAM/1234/${secrets.responseUrlKey}`,
      ),
    ).toBe(200);
    live.failNext('response_url', 1, { status: 500 });
    expect(await slashCommand('/promotions', 'checkout', live.responseUrl(secrets.responseUrlKey))).toBe(200);

    await waitFor('both failed replies', () => count(bot.output(), 'slack listener failed') >= before + 2);
    const failures = logLines(bot.output(), 'slack listener failed').slice(before);
    expect(failures.map((line) => line.err)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'ECONNREFUSED' }),
        expect.objectContaining({ status: 500 }),
      ]),
    );
    expectNoSecretAnywhere(bot.output());
  });

  it('Socket Mode while Slack refuses the websocket: the refusals are logged without the app token', async () => {
    const live = slack;
    if (!live) throw new Error('the second test starts Slack again');
    live.failNext('apps.connections.open', 1000, { status: 503 });
    const socketBot = spawnBot(['start'], {
      SLACK_BOT_TOKEN: secrets.botToken,
      SLACK_APP_TOKEN: secrets.appToken,
      SLACK_SIGNING_SECRET: secrets.signingSecret,
      PROMOTION_API_TOKEN: secrets.apiToken,
      SLACK_API_URL: live.apiUrl,
      REDIS_URL: `redis://:${secrets.redisPassword}@127.0.0.1:${redis.port}`,
      REDIS_PREFIX: `leak${randomBytes(3).toString('hex')}`,
      PIPELINE_FILE: `${workspace.dir}/pipeline.yml`,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
    });
    try {
      // Socket Mode's own client retries for half an hour, logging each refusal through our logger.
      await waitFor(
        'two refused apps.connections.open',
        () =>
          live.callsTo('apps.connections.open').length >= 2 &&
          count(
            socketBot.output(),
            'http request failed An HTTP protocol error occurred: statusCode = 503',
          ) >= 2,
        30_000,
      );
      expect(secretsIn(socketBot.output(), secrets)).toEqual([]);
      expectNoSecretAnywhere(bot.output());
    } finally {
      socketBot.child.kill('SIGKILL');
      await socketBot.exited;
    }
  });

  it('a wrong Redis password is logged as WRONGPASS, without the password', async () => {
    const wrong = newBotSecrets();
    const misconfigured = spawnBot(['start'], {
      SLACK_BOT_TOKEN: wrong.botToken,
      SLACK_SIGNING_SECRET: wrong.signingSecret,
      PROMOTION_API_TOKEN: wrong.apiToken,
      SLACK_API_URL: `http://127.0.0.1:${slackPort}/api/`,
      REDIS_URL: `redis://:${wrong.redisPassword}@127.0.0.1:${redis.port}`,
      PIPELINE_FILE: `${workspace.dir}/pipeline.yml`,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
      // ioredis's own trace prints every command with its arguments, AUTH's password included.
      DEBUG: 'ioredis:*',
    });
    try {
      await waitFor(
        'two refused AUTH attempts',
        () => (misconfigured.output().match(/WRONGPASS/g) ?? []).length >= 2,
        30_000,
      );
      expect(secretsIn(misconfigured.output(), wrong)).toEqual([]);
      expect(secretsIn(misconfigured.output(), secrets)).toEqual([]);
    } finally {
      misconfigured.child.kill('SIGKILL');
      await misconfigured.exited;
    }
  });
});
