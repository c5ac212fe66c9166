import type { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buttonsOf, type FakeSlack, startFakeSlack, textOf } from '../../support/fake-slack/index.js';
import { CHANNELS, gateBlocks, webClient } from './web-client.js';

describe('fake Slack messages', () => {
  let fake: FakeSlack;
  let client: WebClient;

  beforeEach(async () => {
    fake = await startFakeSlack({ channels: CHANNELS, postsPerSecondPerChannel: 100 });
    client = webClient(fake);
  });

  afterEach(async () => {
    await fake.close();
  });

  it('answers auth.test as the promotion-bot bot user', async () => {
    const result = await client.auth.test();

    expect(result).toMatchObject({ ok: true, user: 'promotion-bot', user_id: 'UBOT', bot_id: 'BBOT' });
    expect(result.url).toMatch(/^https:\/\/.+\.slack\.com\/$/);
    expect(result.team_id).toBeTruthy();
  });

  it('posts a message and edits it in place with chat.update', async () => {
    const posted = await client.chat.postMessage({
      channel: 'C0DEPLOYS',
      text: 'deploying',
      blocks: gateBlocks('p1'),
    });
    const updated = await client.chat.update({
      channel: 'C0DEPLOYS',
      ts: posted.ts ?? '',
      text: 'approved',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Approved by <@U0CAROL>' } }],
    });

    expect(posted).toMatchObject({
      ok: true,
      channel: 'C0DEPLOYS',
      message: { text: 'deploying', bot_id: 'BBOT' },
    });
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(updated).toMatchObject({ ok: true, ts: posted.ts, text: 'approved' });
    const [message] = fake.messages('C0DEPLOYS');
    expect(fake.messages('C0DEPLOYS')).toHaveLength(1);
    expect(message).toMatchObject({ ts: posted.ts, text: 'approved', edits: 1, user: 'UBOT' });
    expect(textOf(message ?? { blocks: [] })).toContain('Approved by <@U0CAROL>');
    expect(buttonsOf(message ?? { blocks: [] })).toEqual([]);
  });

  it('decodes the JSON blocks @slack/web-api sends inside a form-encoded body', async () => {
    await client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'gate', blocks: gateBlocks('p1') });

    const [call] = fake.callsTo('chat.postMessage');
    expect(call?.contentType).toBe('application/x-www-form-urlencoded');
    expect(call?.args.blocks).toEqual(gateBlocks('p1'));
    expect(call?.args).not.toHaveProperty('token');
    expect(buttonsOf(fake.messages('C0DEPLOYS')[0] ?? { blocks: [] })).toEqual([
      { actionId: 'promotion.approve', blockId: 'gate', value: 'p1', text: 'Approve', style: 'primary' },
      { actionId: 'promotion.reject', blockId: 'gate', value: 'p1', text: 'Reject', style: 'danger' },
    ]);
  });

  it('accepts JSON bodies as well as form bodies', async () => {
    const response = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-test-token', 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'C0DEPLOYS', text: 'hello', blocks: gateBlocks('p2') }),
    });

    expect(await response.json()).toMatchObject({ ok: true, channel: 'C0DEPLOYS' });
    expect(fake.callsTo('chat.postMessage')[0]?.args.blocks).toEqual(gateBlocks('p2'));
  });

  it('gives every message a unique, increasing ts', async () => {
    const results = [];
    for (const channel of ['C0A', 'C0B', 'C0A', 'C0B']) {
      results.push(await client.chat.postMessage({ channel, text: 'x' }));
    }

    const stamps = results.map((r) => Number(r.ts));
    expect(new Set(stamps).size).toBe(4);
    expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
  });

  it('keeps thread replies apart from the channel and lists them under their parent', async () => {
    const parent = await client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'checkout 1.4.2' });
    const reply = await client.chat.postMessage({
      channel: 'C0DEPLOYS',
      thread_ts: parent.ts ?? '',
      text: 'staging passed',
    });
    await client.chat.postMessage({
      channel: 'C0DEPLOYS',
      thread_ts: reply.ts ?? '',
      text: 'reply to a reply',
    });

    expect(reply.message?.thread_ts).toBe(parent.ts);
    expect(fake.messages('C0DEPLOYS').map((m) => m.text)).toEqual(['checkout 1.4.2']);
    expect(fake.thread('C0DEPLOYS', parent.ts ?? '').map((m) => m.text)).toEqual([
      'staging passed',
      'reply to a reply',
    ]);
  });

  it('answers message_not_found for an update of an unknown ts', async () => {
    await expect(
      client.chat.update({ channel: 'C0DEPLOYS', ts: '1700000000.000100', text: 'x' }),
    ).rejects.toMatchObject({
      data: { ok: false, error: 'message_not_found' },
    });
  });

  it('posts ephemeral messages to one person and links to messages', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'parent' });
    const ephemeral = await client.chat.postEphemeral({
      channel: 'C0DEPLOYS',
      user: 'U0ALICE',
      text: 'only you',
    });
    const link = await client.chat.getPermalink({ channel: 'C0DEPLOYS', message_ts: posted.ts ?? '' });

    expect(ephemeral.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(fake.ephemerals('C0DEPLOYS')).toMatchObject([{ user: 'U0ALICE', text: 'only you' }]);
    expect(fake.messages('C0DEPLOYS')).toHaveLength(1);
    expect(link.permalink).toBe(
      `https://promotion-test.slack.com/archives/C0DEPLOYS/p${(posted.ts ?? '').replace('.', '')}`,
    );
  });

  it('refuses a missing or wrong token the way Slack does', async () => {
    const wrong = webClient(fake, {}, 'xoxb-wrong');

    await expect(wrong.chat.postMessage({ channel: 'C0DEPLOYS', text: 'x' })).rejects.toMatchObject({
      data: { error: 'invalid_auth' },
    });
    const anonymous = await fetch(`${fake.apiUrl}auth.test`, { method: 'POST' });
    expect(await anonymous.json()).toEqual({ ok: false, error: 'not_authed' });
    expect(fake.messages()).toEqual([]);
  });

  it('answers unknown_method for a method it does not know', async () => {
    await expect(client.apiCall('chat.frobnicate', { channel: 'C0DEPLOYS' })).rejects.toMatchObject({
      data: { ok: false, error: 'unknown_method' },
    });
    expect(fake.callsTo('chat.frobnicate')).toMatchObject([
      { status: 200, ok: false, error: 'unknown_method' },
    ]);
  });

  it('answers channel_not_found and not_in_channel for channels the bot cannot post in', async () => {
    const closed = await startFakeSlack({
      channels: [
        { id: 'C0DEPLOYS', name: 'deploys' },
        { id: 'C0SECRET', name: 'secret', isMember: false },
      ],
    });
    const closedClient = webClient(closed);
    try {
      await expect(closedClient.chat.postMessage({ channel: 'C0NOPE', text: 'x' })).rejects.toMatchObject({
        data: { error: 'channel_not_found' },
      });
      await expect(closedClient.chat.postMessage({ channel: 'C0SECRET', text: 'x' })).rejects.toMatchObject({
        data: { error: 'not_in_channel' },
      });
      const info = await closedClient.conversations.info({ channel: 'C0DEPLOYS' });
      expect(info.channel).toMatchObject({
        id: 'C0DEPLOYS',
        name: 'deploys',
        is_member: true,
        is_private: false,
      });
    } finally {
      await closed.close();
    }
  });

  it('opens a direct message when a message is posted to a user id', async () => {
    const posted = await client.chat.postMessage({ channel: 'U0ALICE', text: 'your promotion failed' });

    expect(posted.channel).toBe('D0ALICE');
    expect(fake.messages('D0ALICE')).toMatchObject([{ text: 'your promotion failed' }]);
  });

  it('waits for a call that has not happened yet', async () => {
    const waiting = fake.waitForCall('chat.postMessage', (call) => call.args.text === 'later', 2000);
    setTimeout(() => void client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'later' }), 50);

    await expect(waiting).resolves.toMatchObject({ method: 'chat.postMessage', ok: true });
    await expect(fake.waitForMessage('C0DEPLOYS', (m) => m.text === 'later', 500)).resolves.toBeTruthy();
  });

  it('tells a listener about each call as it is recorded', async () => {
    const seen: string[] = [];
    const stop = fake.onCall((call) => seen.push(call.method));

    await client.auth.test();
    stop();
    await client.auth.test();

    expect(seen).toEqual(['auth.test']);
  });
});
