import { ErrorCode } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeSlack, type FakeSlackOptions, startFakeSlack } from '../../support/fake-slack/index.js';
import { waitFor } from '../../support/wait-for.js';
import { CHANNELS, webClient } from './web-client.js';

// Slack's limits (docs.slack.dev/apis/web-api/rate-limits): chat.postMessage about one post a second per channel
// with short bursts; every other method its tier's calls per minute, shared by the whole workspace.

describe('fake Slack rate limits', () => {
  const started: FakeSlack[] = [];
  async function start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    const fake = await startFakeSlack({ channels: CHANNELS, ...options });
    started.push(fake);
    return fake;
  }

  afterEach(async () => {
    await Promise.all(started.splice(0).map((fake) => fake.close()));
  });

  function post(fake: FakeSlack, channel = 'C0DEPLOYS') {
    return fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer xoxb-test-token',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `channel=${channel}&text=hi`,
    });
  }

  describe('chat.postMessage, per channel', () => {
    it('takes a short burst of three posts, then answers 429 with Retry-After in seconds', async () => {
      const fake = await start();
      const client = webClient(fake, { rejectRateLimitedCalls: true });
      for (const text of ['one', 'two', 'three'])
        await client.chat.postMessage({ channel: 'C0DEPLOYS', text });

      const fourth = client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'four' });

      await expect(fourth).rejects.toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 1 });
      expect(fake.rateLimited).toBe(1);
      expect(fake.callsTo('chat.postMessage').map((c) => c.status)).toEqual([200, 200, 200, 429]);
      expect(fake.callsTo('chat.postMessage')[3]?.response).toEqual({ ok: false, error: 'ratelimited' });
      expect(fake.messages('C0DEPLOYS').map((m) => m.text)).toEqual(['one', 'two', 'three']);
    });

    it('sends the Retry-After header', async () => {
      const fake = await start({ postBurst: 0 });
      await post(fake);

      const limited = await post(fake);

      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('1');
    });

    it('holds the average after a burst: the next post waits for the rate', async () => {
      const fake = await start({ postBurst: 1 });
      expect((await post(fake)).status).toBe(200);
      const burstAt = Date.now();
      expect((await post(fake)).status).toBe(200);
      expect((await post(fake)).status).toBe(429);

      await waitFor('the channel to take a post again', async () => (await post(fake)).status === 200, 3000);

      expect(Date.now() - burstAt).toBeGreaterThanOrEqual(900); // one post's worth at 1 a second
      expect(fake.maxPostsPerSecond('C0DEPLOYS')).toBe(2);
    });

    it('lets a client that honours Retry-After through without help', async () => {
      const fake = await start({ postBurst: 0 });
      const client = webClient(fake, { retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 0 } });

      await client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'one' });
      await client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'two' });

      expect(fake.messages('C0DEPLOYS').map((m) => m.text)).toEqual(['one', 'two']);
      expect(fake.rateLimited).toBe(1);
      expect(fake.maxPostsPerSecond('C0DEPLOYS')).toBe(1);
    });

    it('limits each channel separately', async () => {
      const fake = await start({ postBurst: 0 });

      expect((await post(fake, 'C0DEPLOYS')).status).toBe(200);
      expect((await post(fake, 'C0ONCALL')).status).toBe(200);
      expect((await post(fake, 'C0DEPLOYS')).status).toBe(429);
    });

    it('allows as many posts per second as configured, plus the burst', async () => {
      const fake = await start({ postsPerSecondPerChannel: 3, postBurst: 1 });
      for (let i = 0; i < 4; i += 1) expect((await post(fake)).status).toBe(200);

      expect((await post(fake)).status).toBe(429);
      expect(fake.maxPostsPerSecond('C0DEPLOYS')).toBe(4);
    });
  });

  describe('method tiers, across the workspace', () => {
    it('answers the 21st usergroups.users.list call in a minute (Tier 2) with 429 and Retry-After: 60', async () => {
      const fake = await start({ usergroups: { S0SRE: ['U0ALICE'] } });
      const client = webClient(fake, { rejectRateLimitedCalls: true });
      for (let i = 0; i < 20; i += 1) await client.usergroups.users.list({ usergroup: 'S0SRE' });

      const limited = client.usergroups.users.list({ usergroup: 'S0SRE' });

      await expect(limited).rejects.toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 60 });
      expect(fake.rateLimited).toBe(1);
    });

    it('counts chat.update (Tier 3: 50) over every channel, failed calls included', async () => {
      const fake = await start({ postsPerSecondPerChannel: 100 });
      const client = webClient(fake, { rejectRateLimitedCalls: true });
      const deploys = await client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'a' });
      const oncall = await client.chat.postMessage({ channel: 'C0ONCALL', text: 'b' });
      for (let i = 0; i < 20; i += 1)
        await client.chat.update({ channel: 'C0DEPLOYS', ts: deploys.ts ?? '', text: `${i}` });
      for (let i = 0; i < 20; i += 1)
        await client.chat.update({ channel: 'C0ONCALL', ts: oncall.ts ?? '', text: `${i}` });
      for (let i = 0; i < 10; i += 1) {
        await expect(
          client.chat.update({ channel: 'C0DEPLOYS', ts: '1.000001', text: 'x' }),
        ).rejects.toMatchObject({
          data: { error: 'message_not_found' },
        });
      }

      await expect(
        client.chat.update({ channel: 'C0ONCALL', ts: oncall.ts ?? '', text: 'more' }),
      ).rejects.toMatchObject({
        code: ErrorCode.RateLimitedError,
      });
      // Another method has its own budget.
      await expect(client.chat.delete({ channel: 'C0ONCALL', ts: oncall.ts ?? '' })).resolves.toMatchObject({
        ok: true,
      });
    });

    it('lets the method through again once the window has moved on (rateWindowMs)', async () => {
      const fake = await start({ rateWindowMs: 300, usergroups: { S0SRE: ['U0ALICE'] } });
      const client = webClient(fake, { rejectRateLimitedCalls: true });
      for (let i = 0; i < 20; i += 1) await client.usergroups.users.list({ usergroup: 'S0SRE' });
      await expect(client.usergroups.users.list({ usergroup: 'S0SRE' })).rejects.toMatchObject({
        code: ErrorCode.RateLimitedError,
        retryAfter: 1,
      });

      await waitFor(
        'usergroups.users.list to be accepted again',
        () => client.usergroups.users.list({ usergroup: 'S0SRE' }).then((r) => r.ok),
        3000,
      );

      expect(fake.callsTo('usergroups.users.list').filter((c) => c.ok)).toHaveLength(21);
    });

    it('applies no tiers when they are turned off', async () => {
      const fake = await start({ rateTiers: false, usergroups: { S0SRE: ['U0ALICE'] } });
      const client = webClient(fake, { rejectRateLimitedCalls: true });

      for (let i = 0; i < 25; i += 1) await client.usergroups.users.list({ usergroup: 'S0SRE' });

      expect(fake.rateLimited).toBe(0);
    });
  });
});
