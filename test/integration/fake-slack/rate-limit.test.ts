import { ErrorCode } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack/index.js';
import { webClient } from './web-client.js';

describe('fake Slack per-channel rate limit', () => {
  let fake: FakeSlack;

  beforeEach(async () => {
    fake = await startFakeSlack();
  });

  afterEach(async () => {
    await fake.close();
  });

  it('answers a second post in the same second with 429 and Retry-After', async () => {
    const client = webClient(fake, { rejectRateLimitedCalls: true });
    await client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'first' });

    const second = client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'second' });

    await expect(second).rejects.toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 1 });
    expect(fake.rateLimited).toBe(1);
    expect(fake.callsTo('chat.postMessage').map((c) => c.status)).toEqual([200, 429]);
    expect(fake.callsTo('chat.postMessage')[1]?.response).toEqual({ ok: false, error: 'ratelimited' });
    expect(fake.messages('C0DEPLOYS').map((m) => m.text)).toEqual(['first']);
  });

  it('sends the Retry-After header in seconds', async () => {
    const post = () =>
      fetch(`${fake.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: {
          authorization: 'Bearer xoxb-test-token',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'channel=C0DEPLOYS&text=hi',
      });
    await post();

    const limited = await post();

    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
  });

  it('accepts the post again once the client has waited', async () => {
    const client = webClient(fake, { rejectRateLimitedCalls: true });
    await client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'first' });
    const error = await client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'second' }).catch((e) => e);

    await new Promise((resolve) => setTimeout(resolve, error.retryAfter * 1000));
    const retried = await client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'second' });

    expect(retried.ok).toBe(true);
    expect(fake.messages('C0DEPLOYS').map((m) => m.text)).toEqual(['first', 'second']);
    expect(fake.maxPostsPerSecond('C0DEPLOYS')).toBe(1);
  });

  it('lets a client that honours Retry-After through without help', async () => {
    const client = webClient(fake, { retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 0 } });

    await client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'one' });
    await client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'two' });

    expect(fake.messages('C0DEPLOYS').map((m) => m.text)).toEqual(['one', 'two']);
    expect(fake.rateLimited).toBe(1);
    expect(fake.maxPostsPerSecond('C0DEPLOYS')).toBe(1);
  });

  it('limits each channel separately and leaves updates alone', async () => {
    const client = webClient(fake, { rejectRateLimitedCalls: true });

    const first = await client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'deploys' });
    await client.chat.postMessage({ channel: 'C0ONCALL', text: 'oncall' });
    await client.chat.update({ channel: 'C0DEPLOYS', ts: first.ts ?? '', text: 'edited' });

    expect(fake.rateLimited).toBe(0);
  });

  it('allows as many posts per second as configured', async () => {
    const fast = await startFakeSlack({ postsPerSecondPerChannel: 3 });
    const client = webClient(fast, { rejectRateLimitedCalls: true });
    try {
      for (const text of ['a', 'b', 'c']) await client.chat.postMessage({ channel: 'C0DEPLOYS', text });
      await expect(client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'd' })).rejects.toMatchObject({
        code: ErrorCode.RateLimitedError,
      });
      expect(fast.maxPostsPerSecond('C0DEPLOYS')).toBe(3);
    } finally {
      await fast.close();
    }
  });
});
