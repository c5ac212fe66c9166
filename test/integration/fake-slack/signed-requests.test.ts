import { readFileSync } from 'node:fs';
import { EVENT_WRAPPER_SCHEMA } from '@promotion-bot/standin/slack-reference';
import { isValidSlackRequest } from '@slack/bolt';
import { Ajv } from 'ajv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ReceivedRequest, startHttpServer, type TestHttpServer } from '../../support/http-server.js';
import {
  appHomeOpenedEvent,
  eventEnvelope,
  sendBlockAction,
  sendEvent,
  sendSlashCommand,
  sendUrlVerification,
  sendViewSubmission,
  signSlackRequest,
} from '../../support/slack-requests.js';
import { gateBlocks } from './web-client.js';

const SECRET = 'signing-secret-0123456789abcdef';

const EVENT_WRAPPER = JSON.parse(readFileSync(EVENT_WRAPPER_SCHEMA, 'utf8'));

/** What Bolt's HTTPReceiver does with a request: check the signature over the raw body. */
function boltAccepts(request: ReceivedRequest, signingSecret = SECRET): boolean {
  return isValidSlackRequest({
    signingSecret,
    body: request.body,
    headers: {
      'x-slack-signature': String(request.headers['x-slack-signature']),
      'x-slack-request-timestamp': Number(request.headers['x-slack-request-timestamp']),
    },
  });
}

function formPayload(request: ReceivedRequest) {
  return JSON.parse(new URLSearchParams(request.body).get('payload') ?? '{}');
}

describe('signed Slack requests', () => {
  let bot: TestHttpServer;
  let eventsUrl: string;

  beforeEach(async () => {
    bot = await startHttpServer((_request, response) => {
      response.end();
    });
    eventsUrl = `${bot.url}/slack/events`;
  });

  afterEach(async () => {
    await bot.close();
  });

  it('signs v0:<timestamp>:<body> with HMAC-SHA256, as Bolt verifies it', async () => {
    await sendSlashCommand(eventsUrl, SECRET, {
      command: '/promote',
      text: 'checkout 1.4.2 to production',
      userId: 'U0ALICE',
      channelId: 'C0DEPLOYS',
      responseUrl: 'http://127.0.0.1:1/response/R1',
    });

    const [request] = bot.requests;
    if (!request) throw new Error('no request arrived');
    const timestamp = Number(request.headers['x-slack-request-timestamp']);
    expect(request.headers['x-slack-signature']).toBe(signSlackRequest(SECRET, timestamp, request.body));
    expect(request.headers['x-slack-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(5);
    expect(boltAccepts(request)).toBe(true);
    expect(boltAccepts(request, 'another-secret')).toBe(false);
  });

  it('signs with a wrong secret or a stale timestamp when asked, and Bolt refuses both', async () => {
    const command = {
      command: '/hold',
      text: 'checkout',
      userId: 'U0ALICE',
      channelId: 'C0DEPLOYS',
      responseUrl: 'http://127.0.0.1:1/response/R1',
    };

    await sendSlashCommand(eventsUrl, SECRET, command, { secret: 'wrong-secret' });
    await sendSlashCommand(eventsUrl, SECRET, command, { timestamp: Math.floor(Date.now() / 1000) - 600 });

    const [wrong, stale] = bot.requests;
    if (!wrong || !stale) throw new Error('requests missing');
    expect(wrong.headers['x-slack-signature']).not.toBe(
      signSlackRequest(SECRET, Number(wrong.headers['x-slack-request-timestamp']), wrong.body),
    );
    expect(boltAccepts(wrong)).toBe(false);
    expect(boltAccepts(stale)).toBe(false);
    expect(stale.headers['x-slack-signature']).toBe(
      signSlackRequest(SECRET, Number(stale.headers['x-slack-request-timestamp']), stale.body),
    );
  });

  it('sends slash commands as exactly application/x-www-form-urlencoded with Slack fields', async () => {
    await sendSlashCommand(eventsUrl, SECRET, {
      command: '/promote',
      text: 'checkout 1.4.2',
      userId: 'U0ALICE',
      channelId: 'C0DEPLOYS',
      responseUrl: 'http://127.0.0.1:1/response/R1',
      triggerId: '123.456.abc',
    });

    const [request] = bot.requests;
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toMatchObject({
      command: '/promote',
      text: 'checkout 1.4.2',
      user_id: 'U0ALICE',
      channel_id: 'C0DEPLOYS',
      response_url: 'http://127.0.0.1:1/response/R1',
      trigger_id: '123.456.abc',
      team_id: expect.any(String),
      api_app_id: expect.any(String),
    });
  });

  it('sends a button click as a block_actions payload with the clicked message', async () => {
    await sendBlockAction(eventsUrl, SECRET, {
      actionId: 'promotion.approve',
      value: 'p1',
      userId: 'U0CAROL',
      channelId: 'C0DEPLOYS',
      messageTs: '1700000000.000100',
      responseUrl: 'http://127.0.0.1:1/response/R2',
      message: { text: 'gate', blocks: gateBlocks('p1') },
    });

    const [request] = bot.requests;
    if (!request) throw new Error('no request arrived');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(boltAccepts(request)).toBe(true);
    expect(formPayload(request)).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0CAROL', team_id: expect.any(String) },
      team: { id: expect.any(String) },
      channel: { id: 'C0DEPLOYS' },
      container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0DEPLOYS' },
      message: { ts: '1700000000.000100', blocks: gateBlocks('p1') },
      response_url: 'http://127.0.0.1:1/response/R2',
      trigger_id: expect.stringMatching(/^\d+\.\d+\.[0-9a-f]+$/),
      actions: [
        {
          action_id: 'promotion.approve',
          block_id: 'gate',
          value: 'p1',
          type: 'button',
          style: 'primary',
          action_ts: expect.stringMatching(/^\d+\.\d{6}$/),
        },
      ],
    });
  });

  it('sends a modal submission as a view_submission payload with its state values', async () => {
    await sendViewSubmission(eventsUrl, SECRET, {
      callbackId: 'promotion.reject',
      privateMetadata: 'p1',
      values: { reason: { reason: 'error budget spent' } },
      userId: 'U0CAROL',
      viewId: 'V0000000001',
    });

    const [request] = bot.requests;
    if (!request) throw new Error('no request arrived');
    expect(boltAccepts(request)).toBe(true);
    expect(formPayload(request)).toMatchObject({
      type: 'view_submission',
      user: { id: 'U0CAROL' },
      view: {
        id: 'V0000000001',
        type: 'modal',
        callback_id: 'promotion.reject',
        private_metadata: 'p1',
        state: { values: { reason: { reason: { type: 'plain_text_input', value: 'error budget spent' } } } },
      },
    });
  });

  it('wraps events in an event_callback envelope that matches Slack’s wrapper schema', async () => {
    await sendEvent(eventsUrl, SECRET, appHomeOpenedEvent('U0ALICE'));

    const [request] = bot.requests;
    if (!request) throw new Error('no request arrived');
    const envelope = JSON.parse(request.body);
    const validate = new Ajv({ strict: false }).compile(EVENT_WRAPPER);
    expect(request.headers['content-type']).toBe('application/json');
    expect(boltAccepts(request)).toBe(true);
    expect(validate(envelope), JSON.stringify(validate.errors)).toBe(true);
    expect(envelope).toMatchObject({
      type: 'event_callback',
      event: { type: 'app_home_opened', user: 'U0ALICE', tab: 'home' },
    });
    expect(validate(eventEnvelope({ type: 'app_mention', text: 'hi' }))).toBe(true);
  });

  it('sends the url_verification challenge and can mark a redelivery', async () => {
    await sendUrlVerification(eventsUrl, SECRET, 'challenge-123');
    await sendEvent(eventsUrl, SECRET, appHomeOpenedEvent('U0ALICE'), { retryNum: 1 });

    const [verification, retry] = bot.requests;
    expect(JSON.parse(verification?.body ?? '{}')).toMatchObject({
      type: 'url_verification',
      challenge: 'challenge-123',
    });
    expect(retry?.headers).toMatchObject({
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
    });
  });
});
