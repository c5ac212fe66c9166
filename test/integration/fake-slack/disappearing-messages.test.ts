import type { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack/index.js';
import { CHANNELS, errorOf, webClient } from './web-client.js';

// Messages people delete or wrote themselves, message metadata, and reading a channel's history back the way
// conversations.history and conversations.replies page it.

describe('fake Slack messages that can disappear, and history', () => {
  let fake: FakeSlack;
  let client: WebClient;

  beforeEach(async () => {
    fake = await startFakeSlack({ channels: CHANNELS, postsPerSecondPerChannel: 1000 });
    client = webClient(fake);
  });

  afterEach(async () => {
    await fake.close();
  });

  it('answers message_not_found for a message a person deleted', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'gate' });

    fake.deleteMessage('C0DEPLOYS', posted.ts ?? '');

    expect(await errorOf(client.chat.update({ channel: 'C0DEPLOYS', ts: posted.ts ?? '', text: 'e' }))).toBe(
      'message_not_found',
    );
    expect(await errorOf(client.chat.delete({ channel: 'C0DEPLOYS', ts: posted.ts ?? '' }))).toBe(
      'message_not_found',
    );
    expect(fake.messages('C0DEPLOYS')).toEqual([]);
  });

  it('still posts a reply under a deleted parent, into that thread', async () => {
    const parent = await client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'parent' });
    fake.deleteMessage('C0DEPLOYS', parent.ts ?? '');

    const reply = await client.chat.postMessage({
      channel: 'C0DEPLOYS',
      thread_ts: parent.ts ?? '',
      text: 'late',
    });

    expect(reply.ok).toBe(true);
    expect(fake.thread('C0DEPLOYS', parent.ts ?? '').map((m) => m.text)).toEqual(['late']);
  });

  it('refuses to edit or delete a person’s message', async () => {
    const theirs = fake.postAsUser('C0DEPLOYS', 'U0ALICE', 'my own words');

    expect(await errorOf(client.chat.update({ channel: 'C0DEPLOYS', ts: theirs.ts, text: 'edited' }))).toBe(
      'cant_update_message',
    );
    expect(await errorOf(client.chat.delete({ channel: 'C0DEPLOYS', ts: theirs.ts }))).toBe(
      'cant_delete_message',
    );
    const history = await client.conversations.history({ channel: 'C0DEPLOYS' });
    expect(history.messages?.[0]).toMatchObject({ user: 'U0ALICE', text: 'my own words' });
    expect(history.messages?.[0]).not.toHaveProperty('bot_id');
  });

  it('keeps metadata and returns it only with include_all_metadata', async () => {
    const metadata = { event_type: 'promotion', event_payload: { promotion_id: 'p-1' } };
    const posted = await client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'gate', metadata });
    await client.chat.postMessage({
      channel: 'C0DEPLOYS',
      thread_ts: posted.ts ?? '',
      text: 'reply',
      metadata,
    });

    const plain = await client.conversations.history({ channel: 'C0DEPLOYS' });
    const withMetadata = await client.conversations.history({
      channel: 'C0DEPLOYS',
      include_all_metadata: true,
    });
    const thread = await client.conversations.replies({
      channel: 'C0DEPLOYS',
      ts: posted.ts ?? '',
      include_all_metadata: true,
    });

    expect(plain.messages?.[0]).not.toHaveProperty('metadata');
    expect(withMetadata.messages?.[0]?.metadata).toEqual(metadata);
    expect(thread.messages?.map((m) => m.metadata)).toEqual([metadata, metadata]);
  });

  it('refuses metadata that is not { event_type, event_payload }', async () => {
    const response = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-test-token', 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'C0DEPLOYS', text: 'x', metadata: { event_type: 'promotion' } }),
    });

    expect(await response.json()).toEqual({ ok: false, error: 'invalid_metadata_schema' });
  });

  it('pages conversations.history newest first, by limit and cursor, within oldest and latest', async () => {
    const ts: string[] = [];
    for (let i = 0; i < 5; i += 1)
      ts.push((await client.chat.postMessage({ channel: 'C0DEPLOYS', text: `m${i}` })).ts ?? '');

    const first = await client.conversations.history({ channel: 'C0DEPLOYS', limit: 2 });
    const second = await client.conversations.history({
      channel: 'C0DEPLOYS',
      limit: 2,
      cursor: first.response_metadata?.next_cursor ?? '',
    });
    const ranged = await client.conversations.history({
      channel: 'C0DEPLOYS',
      oldest: ts[1] ?? '',
      latest: ts[4] ?? '',
    });
    const inclusive = await client.conversations.history({
      channel: 'C0DEPLOYS',
      oldest: ts[1] ?? '',
      latest: ts[4] ?? '',
      inclusive: true,
    });

    expect(first.messages?.map((m) => m.text)).toEqual(['m4', 'm3']);
    expect(first.has_more).toBe(true);
    expect(second.messages?.map((m) => m.text)).toEqual(['m2', 'm1']);
    expect(ranged.messages?.map((m) => m.text)).toEqual(['m3', 'm2']);
    expect(inclusive.messages?.map((m) => m.text)).toEqual(['m4', 'm3', 'm2', 'm1']);
    expect(await errorOf(client.conversations.history({ channel: 'C0DEPLOYS', cursor: 'bogus' }))).toBe(
      'invalid_cursor',
    );
  });

  it('answers 100 messages by default', async () => {
    for (let i = 0; i < 101; i += 1) await client.chat.postMessage({ channel: 'C0DEPLOYS', text: `m${i}` });

    const history = await client.conversations.history({ channel: 'C0DEPLOYS' });

    expect(history.messages).toHaveLength(100);
    expect(history.messages?.[0]?.text).toBe('m100');
    expect(history.has_more).toBe(true);
  });

  it('pages conversations.replies from the parent, oldest first, by limit and cursor', async () => {
    const parent = await client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'parent' });
    for (const text of ['r1', 'r2', 'r3']) {
      await client.chat.postMessage({ channel: 'C0DEPLOYS', thread_ts: parent.ts ?? '', text });
    }

    const first = await client.conversations.replies({ channel: 'C0DEPLOYS', ts: parent.ts ?? '', limit: 2 });
    const rest = await client.conversations.replies({
      channel: 'C0DEPLOYS',
      ts: parent.ts ?? '',
      cursor: first.response_metadata?.next_cursor ?? '',
    });

    expect(first.messages?.map((m) => m.text)).toEqual(['parent', 'r1']);
    expect(rest.messages?.map((m) => m.text)).toEqual(['r2', 'r3']);
    expect(rest.has_more).toBe(false);
    expect(await errorOf(client.conversations.replies({ channel: 'C0DEPLOYS', ts: '1.000001' }))).toBe(
      'thread_not_found',
    );
  });
});
