import type { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack/index.js';
import { errorOf, webClient } from './web-client.js';

// Only configured channels exist; the bot posts, edits and reads only where it is a member; ephemerals go only
// to people in the channel (the errors of chat.postMessage, chat.update, chat.postEphemeral, conversations.*).

describe('fake Slack channels and membership', () => {
  let fake: FakeSlack;
  let client: WebClient;

  beforeEach(async () => {
    fake = await startFakeSlack({
      users: [
        { id: 'U0ALICE', name: 'alice' },
        { id: 'U0BOB', name: 'bob' },
      ],
      channels: [
        { id: 'C0DEPLOYS', name: 'deploys', members: ['U0ALICE'] },
        { id: 'C0QUIET', name: 'quiet', isMember: false },
        { id: 'G0PRIVATE', name: 'private', isPrivate: true, isMember: false },
      ],
    });
    client = webClient(fake);
  });

  afterEach(async () => {
    await fake.close();
  });

  it('knows no channel it was not given, only the DMs of known users', async () => {
    expect(await errorOf(client.chat.postMessage({ channel: 'C0ELSEWHERE', text: 'x' }))).toBe(
      'channel_not_found',
    );
    expect(await errorOf(client.chat.postMessage({ channel: 'D0NOBODY', text: 'x' }))).toBe(
      'channel_not_found',
    );
    expect(await errorOf(client.chat.postMessage({ channel: 'D0ALICE', text: 'x' }))).toBe('ok');
    const empty = await startFakeSlack();
    try {
      expect(await errorOf(webClient(empty).chat.postMessage({ channel: 'C0DEPLOYS', text: 'x' }))).toBe(
        'channel_not_found',
      );
    } finally {
      await empty.close();
    }
  });

  it('answers not_in_channel where the bot is not a member, and channel_not_found for a private one', async () => {
    expect(await errorOf(client.chat.postMessage({ channel: 'C0QUIET', text: 'x' }))).toBe('not_in_channel');
    expect(await errorOf(client.conversations.history({ channel: 'C0QUIET' }))).toBe('not_in_channel');
    expect(await errorOf(client.chat.postMessage({ channel: 'G0PRIVATE', text: 'x' }))).toBe(
      'channel_not_found',
    );
    const info = await client.conversations.info({ channel: 'C0QUIET' });
    expect(info.channel).toMatchObject({ id: 'C0QUIET', is_member: false });
  });

  it('lets the bot post once invited, and not after it was removed', async () => {
    await fake.inviteBot('C0QUIET');
    const posted = await client.chat.postMessage({ channel: 'C0QUIET', text: 'hello' });
    expect((await client.conversations.info({ channel: 'C0QUIET' })).channel?.is_member).toBe(true);

    fake.removeBot('C0QUIET');

    expect(await errorOf(client.chat.postMessage({ channel: 'C0QUIET', text: 'again' }))).toBe(
      'not_in_channel',
    );
    expect(await errorOf(client.chat.update({ channel: 'C0QUIET', ts: posted.ts ?? '', text: 'e' }))).toBe(
      'not_in_channel',
    );
    expect(await errorOf(client.chat.delete({ channel: 'C0QUIET', ts: posted.ts ?? '' }))).toBe(
      'not_in_channel',
    );
    expect(await errorOf(client.conversations.replies({ channel: 'C0QUIET', ts: posted.ts ?? '' }))).toBe(
      'not_in_channel',
    );
  });

  it('answers is_archived for posts and edits in an archived channel', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'before' });

    fake.archiveChannel('C0DEPLOYS');

    expect(await errorOf(client.chat.postMessage({ channel: 'C0DEPLOYS', text: 'x' }))).toBe('is_archived');
    expect(await errorOf(client.chat.update({ channel: 'C0DEPLOYS', ts: posted.ts ?? '', text: 'e' }))).toBe(
      'is_archived',
    );
    expect((await client.conversations.info({ channel: 'C0DEPLOYS' })).channel?.is_archived).toBe(true);
  });

  it('shows an ephemeral message only to someone in the channel: user_not_in_channel otherwise', async () => {
    const toBob = () =>
      errorOf(client.chat.postEphemeral({ channel: 'C0DEPLOYS', user: 'U0BOB', text: 'psst' }));
    expect(
      await errorOf(client.chat.postEphemeral({ channel: 'C0DEPLOYS', user: 'U0ALICE', text: 'hi' })),
    ).toBe('ok');
    expect(await toBob()).toBe('user_not_in_channel');

    await fake.addMember('C0DEPLOYS', 'U0BOB');
    expect(await toBob()).toBe('ok');
    fake.removeMember('C0DEPLOYS', 'U0BOB');
    expect(await toBob()).toBe('user_not_in_channel');
    expect(fake.ephemerals('C0DEPLOYS').map((m) => m.user)).toEqual(['U0ALICE', 'U0BOB']);
  });

  it('counts every configured user as a member when a channel lists none', async () => {
    await fake.inviteBot('C0QUIET');

    expect(await errorOf(client.chat.postEphemeral({ channel: 'C0QUIET', user: 'U0BOB', text: 'hi' }))).toBe(
      'ok',
    );
    expect(
      await errorOf(client.chat.postEphemeral({ channel: 'C0QUIET', user: 'U0NOBODY', text: 'hi' })),
    ).toBe('user_not_in_channel');
  });
});
