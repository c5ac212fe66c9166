import { ErrorCode } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack/index.js';
import { CHANNELS, webClient } from './web-client.js';

describe('fake Slack fault injection', () => {
  let fake: FakeSlack;

  beforeEach(async () => {
    fake = await startFakeSlack({ channels: CHANNELS, postsPerSecondPerChannel: 100 });
  });

  afterEach(async () => {
    await fake.close();
  });

  it('fails the next calls to a method with an HTTP 500, then recovers', async () => {
    const client = webClient(fake);
    fake.failNext('chat.postMessage', 2, { status: 500 });

    const first = client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'a' });
    await expect(first).rejects.toMatchObject({ code: ErrorCode.HTTPError, statusCode: 500 });
    await expect(client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'b' })).rejects.toMatchObject({
      statusCode: 500,
    });
    await client.auth.test();
    const third = await client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'c' });

    expect(third.ok).toBe(true);
    expect(fake.callsTo('chat.postMessage').map((c) => [c.status, c.fault])).toEqual([
      [500, { status: 500 }],
      [500, { status: 500 }],
      [200, undefined],
    ]);
    expect(fake.messages('C0DEPLOYS').map((m) => m.text)).toEqual(['c']);
  });

  it('lets a retrying client ride out a 503', async () => {
    const client = webClient(fake, { retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 10 } });
    fake.failNext('*', 1, { status: 503 });

    const posted = await client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'eventually' });

    expect(posted.ok).toBe(true);
    expect(fake.callsTo('chat.postMessage').map((c) => c.status)).toEqual([503, 200]);
  });

  it('answers an injected Slack error with HTTP 200 and ok false', async () => {
    const client = webClient(fake);
    fake.failNext('chat.update', 1, { error: 'edit_window_closed' });

    const result = client.chat.update({ channel: 'C0DEPLOYS', ts: '1.000100', text: 'x' });

    await expect(result).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { ok: false, error: 'edit_window_closed' },
    });
    expect(fake.callsTo('chat.update')).toMatchObject([
      { status: 200, ok: false, error: 'edit_window_closed' },
    ]);
  });

  it('injects a rate limit on any method', async () => {
    const client = webClient(fake, { rejectRateLimitedCalls: true });
    fake.failNext('views.publish', 1, { ratelimit: 7 });

    const result = client.views.publish({
      user_id: 'U0ALICE',
      view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }] },
    });

    await expect(result).rejects.toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });
    expect(fake.rateLimited).toBe(1);
  });

  it('hangs a call past the client timeout, and the call still takes effect', async () => {
    const client = webClient(fake, { timeout: 100 });
    fake.failNext('chat.postMessage', 1, { hangMs: 300 });

    await expect(client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'slow' })).rejects.toMatchObject({
      code: ErrorCode.RequestError,
    });

    const message = await fake.waitForMessage('C0DEPLOYS', (m) => m.text === 'slow', 2000);
    expect(message.text).toBe('slow');
    expect(fake.callsTo('chat.postMessage')[0]).toMatchObject({ fault: { hangMs: 300 }, ok: true });
  });

  it('fails every Web API call for a while, but not response URLs', async () => {
    const client = webClient(fake);
    fake.failFor(1000, { status: 503 });

    await expect(client.auth.test()).rejects.toMatchObject({ statusCode: 503 });
    const response = await fetch(fake.responseUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'still works' }),
    });
    expect(response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1050));

    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
  });

  it('can fail response URL posts on their own', async () => {
    fake.failNext('response_url', 1, { status: 500 });

    const response = await fetch(fake.responseUrl('R1'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'lost' }),
    });

    expect(response.status).toBe(500);
    expect(fake.responses).toMatchObject([{ id: 'R1', status: 500, ok: false }]);
  });

  it('forgets faults on clearFaults', async () => {
    const client = webClient(fake);
    fake.failNext('*', 5, { error: 'fatal_error' });
    fake.clearFaults();

    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
  });
});
