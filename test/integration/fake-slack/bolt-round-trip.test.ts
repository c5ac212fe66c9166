import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack/index.js';
import {
  appHomeOpenedEvent,
  sendBlockAction,
  sendEvent,
  sendSlashCommand,
  sendUrlVerification,
  sendViewSubmission,
} from '../../support/slack-requests.js';
import { CHANNELS, gateBlocks, silentLogger, TOKEN, webClient } from './web-client.js';

const SECRET = 'signing-secret-0123456789abcdef';

/** A real Bolt app on HTTP, talking to the fake Slack, with a listener per Slack surface. */
async function startBolt(
  fake: FakeSlack,
): Promise<{ eventsUrl: string; submissions: unknown[]; close(): Promise<void> }> {
  const logger = silentLogger();
  const receiver = new HTTPReceiver({ signingSecret: SECRET, endpoints: '/slack/events', logger });
  const app = new App({
    token: TOKEN,
    receiver,
    logger,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger },
  });
  const submissions: unknown[] = [];
  app.command('/promote', async ({ ack, respond, command }) => {
    await ack();
    await respond({
      response_type: 'ephemeral',
      text: `Usage: /promote <service> <version> (got "${command.text}")`,
    });
  });
  app.action('promotion.approve', async ({ ack, body, client }) => {
    await ack();
    if (body.type !== 'block_actions' || !body.channel || !body.message) return;
    await client.chat.update({
      channel: body.channel.id,
      ts: body.message.ts,
      text: `Approved by <@${body.user.id}>`,
      blocks: [],
    });
  });
  app.view('promotion.reject', async ({ ack, view }) => {
    await ack();
    submissions.push(view.state.values);
  });
  app.event('app_home_opened', async ({ event, client }) => {
    await client.views.publish({
      user_id: event.user,
      view: {
        type: 'home',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'No promotions running' } }],
      },
    });
  });
  const server: Server = createServer(receiver.requestListener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address: AddressInfo | string | null = server.address();
  if (address === null || typeof address === 'string') throw new Error('Bolt has no TCP address');
  const { port } = address;
  return {
    eventsUrl: `http://127.0.0.1:${port}/slack/events`,
    submissions,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('a Bolt app between the signed-request helpers and the fake Slack', () => {
  let fake: FakeSlack;
  let bolt: Awaited<ReturnType<typeof startBolt>>;

  beforeEach(async () => {
    fake = await startFakeSlack({ channels: CHANNELS });
    bolt = await startBolt(fake);
  });

  afterEach(async () => {
    await bolt.close();
    await fake.close();
  });

  it('acks a slash command and its reply lands on the response URL', async () => {
    const responseUrl = fake.responseUrl('cmd', { channel: 'C0DEPLOYS', userId: 'U0ALICE' });

    const answer = await sendSlashCommand(bolt.eventsUrl, SECRET, {
      command: '/promote',
      text: 'nonsense',
      userId: 'U0ALICE',
      channelId: 'C0DEPLOYS',
      responseUrl,
    });

    expect(answer.status).toBe(200);
    const call = await fake.waitForCall('response_url');
    expect(call.args).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('nonsense'),
    });
    expect(fake.ephemerals('C0DEPLOYS')).toMatchObject([{ user: 'U0ALICE' }]);
  });

  it('refuses a wrong signature and a stale timestamp with 401', async () => {
    const command = {
      command: '/promote',
      text: 'x',
      userId: 'U0ALICE',
      channelId: 'C0DEPLOYS',
      responseUrl: fake.responseUrl(),
    };

    const wrong = await sendSlashCommand(bolt.eventsUrl, SECRET, command, { secret: 'not-the-secret' });
    const stale = await sendSlashCommand(bolt.eventsUrl, SECRET, command, {
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });

    expect([wrong.status, stale.status]).toEqual([401, 401]);
    expect(fake.responses).toEqual([]);
  });

  it('turns a button click into a chat.update of the clicked message', async () => {
    const gate = await startGate(fake);

    const answer = await sendBlockAction(bolt.eventsUrl, SECRET, {
      actionId: 'promotion.approve',
      value: 'p1',
      userId: 'U0CAROL',
      channelId: 'C0DEPLOYS',
      messageTs: gate.ts,
      responseUrl: fake.responseUrl(undefined, {
        channel: 'C0DEPLOYS',
        messageTs: gate.ts,
        userId: 'U0CAROL',
      }),
      message: fake.message('C0DEPLOYS', gate.ts),
    });

    expect(answer.status).toBe(200);
    await fake.waitForCall('chat.update');
    expect(fake.message('C0DEPLOYS', gate.ts)).toMatchObject({ text: 'Approved by <@U0CAROL>', edits: 1 });
    expect(fake.blockErrors).toEqual([]);
  });

  it('hands a modal submission to the view listener', async () => {
    const answer = await sendViewSubmission(bolt.eventsUrl, SECRET, {
      callbackId: 'promotion.reject',
      privateMetadata: 'p1',
      values: { reason: { reason: 'error budget spent' } },
      userId: 'U0CAROL',
    });

    expect(answer.status).toBe(200);
    expect(bolt.submissions).toEqual([
      { reason: { reason: { type: 'plain_text_input', value: 'error budget spent' } } },
    ]);
  });

  it('publishes the home tab when app_home_opened arrives', async () => {
    const answer = await sendEvent(bolt.eventsUrl, SECRET, appHomeOpenedEvent('U0ALICE'));

    expect(answer.status).toBe(200);
    await fake.waitForCall('views.publish');
    expect(fake.homeView('U0ALICE')?.view.blocks).toHaveLength(1);
    expect(fake.callsTo('auth.test')).toHaveLength(1);
  });

  it('answers the url_verification challenge', async () => {
    const answer = await sendUrlVerification(bolt.eventsUrl, SECRET, 'challenge-abc');

    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ challenge: 'challenge-abc' });
  });
});

async function startGate(fake: FakeSlack): Promise<{ ts: string }> {
  const posted = await webClient(fake).chat.postMessage({
    channel: 'C0DEPLOYS',
    text: 'gate',
    blocks: gateBlocks('p1'),
  });
  return { ts: posted.ts ?? '' };
}
