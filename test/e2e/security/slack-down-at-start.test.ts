import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { type BotProcess, spawnBot } from '../../support/bot-process.js';
import { testRedisUrl } from '../../support/redis.js';
import { freePort } from '../../support/redis-server.js';
import { waitFor } from '../../support/wait-for.js';
import { createWorkspace, testPipeline, type Workspace } from '../../support/workspace.js';

// Slack unreachable when the bot starts: the start-up auth.test fails again and again. The bot keeps running and
// retrying (it used to crash, printing the whole client error with `Bearer xoxb-…` to stderr).

let bot: BotProcess | undefined;
let workspace: Workspace | undefined;

afterAll(async () => {
  bot?.child.kill('SIGKILL');
  await workspace?.remove();
});

describe('Slack down at start', () => {
  it('keeps the bot up and retrying, with no secret in its output', async () => {
    workspace = await createWorkspace();
    const pipelineFile = await workspace.writePipeline(testPipeline({ prometheusUrl: 'http://127.0.0.1:9' }));
    const token = `xoxb-${randomBytes(12).toString('hex')}`;
    const signing = randomBytes(16).toString('hex');
    const closed = await freePort();
    bot = spawnBot(['start'], {
      SLACK_BOT_TOKEN: token,
      SLACK_SIGNING_SECRET: signing,
      SLACK_API_URL: `http://127.0.0.1:${closed}/api/`,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: `down${randomBytes(3).toString('hex')}`,
      PIPELINE_FILE: pipelineFile,
      HOST: '127.0.0.1',
    });
    const url = await waitFor(
      'the bot to listen',
      () => /"url":"(http:[^"]+)"/.exec(bot?.output() ?? '')?.[1],
    );
    await waitFor(
      'three failed auth.test attempts',
      () => (bot?.output().match(/slack auth.test failed; retrying/g) ?? []).length >= 3,
      30_000,
    );
    expect(bot.child.exitCode).toBeNull();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(bot.output()).toContain('"code":"slack_webapi_request_error"');
    expect(bot.output()).not.toContain(token);
    expect(bot.output()).not.toContain(token.slice(5));
    expect(bot.output()).not.toContain(signing);
  });
});
