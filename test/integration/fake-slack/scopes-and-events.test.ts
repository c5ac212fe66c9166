import { readFileSync } from 'node:fs';
import { EVENT_WRAPPER_SCHEMA } from '@promotion-bot/standin/slack-reference';
import { isValidSlackRequest } from '@slack/bolt';
import { Ajv } from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type FakeSlack,
  type FakeSlackOptions,
  manifestBotScopes,
  startFakeSlack,
} from '../../support/fake-slack/index.js';
import { startHttpServer, type TestHttpServer } from '../../support/http-server.js';
import { waitFor } from '../../support/wait-for.js';
import { CHANNELS, webClient } from './web-client.js';

const SECRET = 'scopes-and-events-secret';

describe('fake Slack scopes, trigger ids, response URLs and events', () => {
  const closing: { close(): Promise<void> }[] = [];
  async function start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    const fake = await startFakeSlack({ channels: CHANNELS, ...options });
    closing.push(fake);
    return fake;
  }

  afterEach(async () => {
    await Promise.all(closing.splice(0).map((item) => item.close()));
  });

  const errorOf = (call: Promise<unknown>) =>
    call.then(
      () => 'ok',
      (error) => error.data,
    );

  it('answers missing_scope with needed and provided, the way Slack does', async () => {
    const fake = await start({ scopes: ['chat:write', 'commands'] });
    const client = webClient(fake);

    expect(await errorOf(client.usergroups.users.list({ usergroup: 'S0X' }))).toMatchObject({
      ok: false,
      error: 'missing_scope',
      needed: 'usergroups:read',
      provided: 'chat:write,commands',
    });
    expect(await errorOf(client.conversations.info({ channel: 'C0DEPLOYS' }))).toMatchObject({
      error: 'missing_scope',
      needed: 'channels:read',
    });
    expect(await errorOf(client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'hi' }))).toBe('ok');
  });

  it('grants the repository manifest’s bot scopes by default', async () => {
    const fake = await start();
    const client = webClient(fake);

    expect(manifestBotScopes()).toEqual(
      expect.arrayContaining(['chat:write', 'channels:history', 'groups:read']),
    );
    expect(await errorOf(client.conversations.history({ channel: 'C0DEPLOYS' }))).toBe('ok');
    expect(await errorOf(client.users.info({ user: 'U0ALICE' }))).toMatchObject({
      error: 'missing_scope',
      needed: 'users:read',
    });
  });

  it('opens a modal only with a trigger id it issued, once, within 3 s', async () => {
    const fake = await start();
    const client = webClient(fake);
    const view = {
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: 'Reject' },
      blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'why?' } }],
    };
    const trigger = fake.triggerId('U0ALICE');

    expect(await errorOf(client.views.open({ trigger_id: '123.456.abc', view }))).toMatchObject({
      error: 'invalid_trigger_id',
    });
    expect(await errorOf(client.views.open({ trigger_id: trigger, view }))).toBe('ok');
    expect(await errorOf(client.views.open({ trigger_id: trigger, view }))).toMatchObject({
      error: 'exchanged_trigger_id',
    });
  });

  it('takes a response_url five times, and not after it expired', async () => {
    const fake = await start();
    const short = await start({ responseUrlTtlMs: 50 });
    const post = (url: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"hi"}' });
    const busy = fake.responseUrl('busy', { channel: 'C0DEPLOYS', userId: 'U0ALICE' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await post(busy)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
    expect(fake.responses.at(-1)).toMatchObject({ status: 404, error: 'used_url' });
    const late = short.responseUrl('late', { channel: 'C0DEPLOYS', userId: 'U0ALICE' });
    const issuedAt = Date.now();

    expect((await post(late)).status).toBe(200);
    await waitFor('the response_url’s 50 ms to pass', () => Date.now() > issuedAt + 60, 2000);

    const answer = await post(late);

    expect(answer.status).toBe(404);
    expect(await answer.json()).toEqual({ ok: false, error: 'expired_url' });
  });

  it('sends a signed member_joined_channel event_callback when the bot or a person joins', async () => {
    const bot: TestHttpServer = await startHttpServer((_request, response) => {
      response.end();
    });
    closing.push(bot);
    const fake = await start({
      channels: [...CHANNELS, { id: 'G0PRIV', name: 'priv', isPrivate: true, isMember: false }],
    });
    fake.deliverEventsTo({ url: `${bot.url}/slack/events`, signingSecret: SECRET });

    const invited = await fake.inviteBot('G0PRIV', 'U0ALICE');
    await fake.addMember('C0DEPLOYS', 'U0BOB');

    const schema = JSON.parse(readFileSync(EVENT_WRAPPER_SCHEMA, 'utf8'));
    const validate = new Ajv({ strict: false }).compile(schema);
    const [first, second] = bot.requests.map((request) => {
      const signed = isValidSlackRequest({
        signingSecret: SECRET,
        body: request.body,
        headers: {
          'x-slack-signature': String(request.headers['x-slack-signature']),
          'x-slack-request-timestamp': Number(request.headers['x-slack-request-timestamp']),
        },
      });
      expect(signed).toBe(true);
      const envelope = JSON.parse(request.body);
      expect(validate(envelope), JSON.stringify(validate.errors)).toBe(true);
      return envelope;
    });
    expect(first).toMatchObject({
      type: 'event_callback',
      team_id: 'T0TEST',
      event: {
        type: 'member_joined_channel',
        user: 'UBOT',
        channel: 'G0PRIV',
        channel_type: 'G',
        team: 'T0TEST',
        inviter: 'U0ALICE',
      },
    });
    expect(second?.event).toMatchObject({ type: 'member_joined_channel', user: 'U0BOB', channel_type: 'C' });
    expect(invited).toMatchObject({ status: 200, ok: true });
    expect(fake.events.map((e) => [e.event.user, e.status])).toEqual([
      ['UBOT', 200],
      ['U0BOB', 200],
    ]);
  });

  it('records a delivery the bot did not take', async () => {
    const bot: TestHttpServer = await startHttpServer((_request, response) => {
      response.statusCode = 401;
      response.end();
    });
    closing.push(bot);
    const fake = await start({ channels: [{ id: 'C0QUIET', name: 'quiet', isMember: false }] });
    fake.deliverEventsTo({ url: `${bot.url}/slack/events`, signingSecret: SECRET });

    await fake.inviteBot('C0QUIET');

    expect(fake.events).toMatchObject([{ status: 401, ok: false }]);
  });

  it('sends nothing before deliverEventsTo', async () => {
    const fake = await start({ channels: [{ id: 'C0QUIET', name: 'quiet', isMember: false }] });

    await expect(fake.inviteBot('C0QUIET')).resolves.toBeUndefined();
    expect(fake.events).toEqual([]);
  });
});
