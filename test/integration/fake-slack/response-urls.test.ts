import type { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack/index.js';
import { CHANNELS, gateBlocks, webClient } from './web-client.js';

async function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('fake Slack response URLs', () => {
  let fake: FakeSlack;
  let client: WebClient;

  beforeEach(async () => {
    fake = await startFakeSlack({ channels: CHANNELS });
    client = webClient(fake);
  });

  afterEach(async () => {
    await fake.close();
  });

  it('records an ephemeral reply to a slash command and shows it to the person who typed it', async () => {
    const url = fake.responseUrl('cmd-1', { channel: 'C0DEPLOYS', userId: 'U0ALICE' });

    const response = await postJson(url, {
      response_type: 'ephemeral',
      text: 'Usage: /promote <service> <version>',
    });

    expect(await response.json()).toEqual({ ok: true });
    expect(fake.responses).toMatchObject([
      { id: 'cmd-1', response_type: 'ephemeral', replace_original: false, delete_original: false, ok: true },
    ]);
    expect(fake.ephemerals('C0DEPLOYS')).toMatchObject([{ user: 'U0ALICE', source: 'response_url' }]);
    expect(fake.messages('C0DEPLOYS')).toEqual([]);
  });

  it('posts an in_channel reply into the channel', async () => {
    const url = fake.responseUrl(undefined, { channel: 'C0DEPLOYS', userId: 'U0ALICE' });

    await postJson(url, { response_type: 'in_channel', text: 'Promoting checkout 1.4.2' });

    expect(fake.messages('C0DEPLOYS')).toMatchObject([{ text: 'Promoting checkout 1.4.2' }]);
  });

  it('replaces the clicked message with replace_original', async () => {
    const gate = await client.chat.postMessage({
      channel: 'C0DEPLOYS',
      text: 'gate',
      blocks: gateBlocks('p1'),
    });
    const url = fake.responseUrl('click-1', {
      channel: 'C0DEPLOYS',
      messageTs: gate.ts ?? '',
      userId: 'U0CAROL',
    });

    await postJson(url, { replace_original: true, text: 'Approved by <@U0CAROL>' });

    expect(fake.message('C0DEPLOYS', gate.ts ?? '')).toMatchObject({
      text: 'Approved by <@U0CAROL>',
      blocks: [],
      edits: 1,
    });
    expect(fake.responses[0]).toMatchObject({ replace_original: true });
  });

  it('deletes the clicked message with delete_original', async () => {
    const gate = await client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'gate' });
    const url = fake.responseUrl(undefined, { channel: 'C0DEPLOYS', messageTs: gate.ts ?? '' });

    await postJson(url, { delete_original: true });

    expect(fake.messages('C0DEPLOYS')).toEqual([]);
  });

  it('refuses invalid blocks and a sixth use, like Slack', async () => {
    const url = fake.responseUrl('R9');

    const invalid = await postJson(url, { text: 'x', blocks: [{ type: 'nope' }] });
    for (let i = 0; i < 4; i += 1) await postJson(url, { text: `use ${i}` });
    const sixth = await postJson(url, { text: 'too many' });

    expect(await invalid.json()).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(fake.blockErrors).toMatchObject([{ method: 'response_url', error: 'invalid_blocks' }]);
    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toEqual({ ok: false, error: 'used_url' });
  });
});
