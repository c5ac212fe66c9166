import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { sendSigned } from '../../support/slack-requests.js';
import { waitFor } from '../../support/wait-for.js';
import { SECRET, slackHarnessPerTest } from '../slack/slack-harness.js';

// The internet-facing endpoint, attacked: oversized and slow uploads, wrong paths and methods, signed garbage,
// timestamps from the future. Each answer comes at once, the process stays up, and nothing changes.

const startSlack = slackHarnessPerTest();
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/** Streams `totalBytes` of an unsigned body in 64 KiB chunks (chunked: no Content-Length to refuse up front). */
function streamUnsigned(url: string, totalBytes: number): Promise<{ status: number; sentBytes: number }> {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  return new Promise((resolve, reject) => {
    let sentBytes = 0;
    let status: number | undefined;
    const req = request(url, { method: 'POST', headers: { 'content-type': FORM } }, (res) => {
      status = res.statusCode ?? 0;
      res.resume();
      res.on('end', () => resolve({ status: status ?? 0, sentBytes }));
    });
    req.on('error', (error) => (status === undefined ? reject(error) : resolve({ status, sentBytes })));
    const pump = () => {
      while (status === undefined && sentBytes < totalBytes) {
        sentBytes += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

function rawRequest(url: string, method: string, path: string): Promise<{ status: number; allow?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), { method }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, ...(res.headers.allow ? { allow: res.headers.allow } : {}) });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('POST /slack/events', () => {
  it('refuses an oversized unsigned body with 413 while reading it, without buffering it', async () => {
    const s = await startSlack();
    const before = process.memoryUsage().rss;

    const answer = await streamUnsigned(s.eventsUrl, 256 * 1024 * 1024);

    expect(answer.status).toBe(413);
    // Cut off long before the whole 256 MiB was sent, and the bot (in this process) did not hold it.
    expect(answer.sentBytes).toBeLessThan(128 * 1024 * 1024);
    expect(process.memoryUsage().rss - before).toBeLessThan(96 * 1024 * 1024);
    expect((await fetch(s.eventsUrl.replace('/slack/events', '/healthz'))).status).toBe(200);
  });

  it('refuses a Content-Length over the limit before reading the body', async () => {
    const s = await startSlack();
    const response = await fetch(s.eventsUrl, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: 'a'.repeat(2 * 1024 * 1024),
    });
    expect(response.status).toBe(413);
  });

  it('still takes a signed block_actions payload as large as Slack sends (a whole 50-block message)', async () => {
    const s = await startSlack();
    const id = await s.publish('1.0.0');
    const gate = await s.openGate('1.0.0');
    const filler = Array.from({ length: 48 }, (_, i) => ({
      type: 'section',
      block_id: `filler-${i}`,
      text: { type: 'mrkdwn', text: 'x'.repeat(2900) },
    }));
    const reply = await s.click('approve', { ...gate, blocks: [...gate.blocks, ...filler] }, 'U0CAROL');
    expect(reply.http.status).toBe(200);
    await waitFor(
      'the approval to count',
      async () => (await s.promotion(id)).status !== 'awaiting_approval',
    );
  });

  it('answers wrong paths with 404 and other methods with 405 at once', async () => {
    const s = await startSlack();
    expect(await rawRequest(s.eventsUrl, 'GET', '/slack/events')).toEqual({ status: 405, allow: 'POST' });
    expect((await rawRequest(s.eventsUrl, 'POST', '/slack/events/')).status).toBe(404);
    expect((await rawRequest(s.eventsUrl, 'POST', '/slack/eventsX')).status).toBe(404);
    expect((await rawRequest(s.eventsUrl, 'PUT', '/slack/events?x=1')).status).toBe(405);
  });

  it('survives signed bodies that are not Slack requests: 400, and the process keeps serving', async () => {
    const s = await startSlack();
    const bodies: Array<[string, string]> = [
      ['payload=null', FORM],
      ['payload=%5B%5D', FORM],
      ['payload=1', FORM],
      ['payload=%7B%7D', FORM],
      ['payload=not-json', FORM],
      ['null', JSON_TYPE],
      ['[]', JSON_TYPE],
      ['"text"', JSON_TYPE],
      ['{}', JSON_TYPE],
      ['{"type":', JSON_TYPE],
      ['a=b', FORM],
    ];
    for (const [body, type] of bodies) {
      const response = await sendSigned(s.eventsUrl, SECRET, body, type);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
    }
    const home = await s.openHome('U0DAVE');
    expect(home.status).toBe(200);
  });

  it('refuses timestamps too far in the future as well as in the past', async () => {
    const s = await startSlack();
    const id = await s.publish('1.0.0');
    const gate = await s.openGate('1.0.0');
    const future = { timestamp: Math.floor(Date.now() / 1000) + 3600 };
    expect((await s.click('approve', gate, 'U0CAROL', future)).http.status).toBe(401);
    expect((await s.slash('/hold', 'checkout production x', 'U0ALICE', future)).http.status).toBe(401);
    expect((await s.promotion(id)).status).toBe('awaiting_approval');
    // A small skew is Slack's normal: a minute ahead still counts.
    const ahead = { timestamp: Math.floor(Date.now() / 1000) + 60 };
    expect((await s.click('approve', gate, 'U0CAROL', ahead)).http.status).toBe(200);
  });
});
