import type { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, manifestBotScopes, startFakeSlack } from '../../support/fake-slack/index.js';
import { CHANNELS, webClient } from './web-client.js';

const rejectModal = {
  type: 'modal' as const,
  callback_id: 'promotion.reject',
  private_metadata: 'p1',
  title: { type: 'plain_text' as const, text: 'Reject promotion' },
  submit: { type: 'plain_text' as const, text: 'Reject' },
  close: { type: 'plain_text' as const, text: 'Cancel' },
  blocks: [
    {
      type: 'input' as const,
      block_id: 'reason',
      label: { type: 'plain_text' as const, text: 'Why?' },
      element: { type: 'plain_text_input' as const, action_id: 'reason' },
    },
  ],
};

const home = (text: string) => ({
  type: 'home' as const,
  blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text } }],
});

describe('fake Slack user groups and views', () => {
  let fake: FakeSlack;
  let client: WebClient;

  beforeEach(async () => {
    fake = await startFakeSlack({
      channels: CHANNELS,
      usergroups: { S0SREGROUP: ['U0ALICE', 'U0BOB'] },
      // users.info needs users:read, which the bot's manifest does not ask for.
      scopes: [...manifestBotScopes(), 'users:read'],
    });
    client = webClient(fake);
  });

  afterEach(async () => {
    await fake.close();
  });

  it('lists the members of a user group the test set up', async () => {
    fake.setUsergroup('S0RELEASE', ['U0CAROL']);

    const sre = await client.usergroups.users.list({ usergroup: 'S0SREGROUP' });
    const release = await client.usergroups.users.list({ usergroup: 'S0RELEASE' });

    expect(sre.users).toEqual(['U0ALICE', 'U0BOB']);
    expect(release.users).toEqual(['U0CAROL']);
  });

  it('answers no_such_subteam for an unknown user group', async () => {
    await expect(client.usergroups.users.list({ usergroup: 'S0NOPE' })).rejects.toMatchObject({
      data: { ok: false, error: 'no_such_subteam' },
    });
  });

  it('opens a modal with a trigger id and returns the view with an id', async () => {
    const opened = await client.views.open({ trigger_id: fake.triggerId(), view: rejectModal });

    expect(opened.view).toMatchObject({
      type: 'modal',
      callback_id: 'promotion.reject',
      private_metadata: 'p1',
      state: { values: {} },
    });
    expect(opened.view?.id).toMatch(/^V/);
    expect(fake.view(opened.view?.id ?? '')).toMatchObject({ type: 'modal', updates: 0 });
  });

  it('refuses views.open without a trigger id, and a trigger id used twice', async () => {
    const trigger = fake.triggerId();
    await client.views.open({ trigger_id: trigger, view: rejectModal });

    await expect(client.views.open({ trigger_id: '', view: rejectModal })).rejects.toMatchObject({
      data: { error: 'invalid_arguments' },
    });
    await expect(client.views.open({ trigger_id: trigger, view: rejectModal })).rejects.toMatchObject({
      data: { error: 'exchanged_trigger_id' },
    });
  });

  it('updates an open modal, and answers hash_conflict for a stale hash', async () => {
    const opened = await client.views.open({ trigger_id: fake.triggerId(), view: rejectModal });
    const viewId = opened.view?.id ?? '';

    const updated = await client.views.update({
      view_id: viewId,
      hash: opened.view?.hash ?? '',
      view: { ...rejectModal, title: { type: 'plain_text', text: 'Rejected' } },
    });
    const stale = client.views.update({ view_id: viewId, hash: opened.view?.hash ?? '', view: rejectModal });

    expect(updated.view).toMatchObject({ id: viewId, title: { text: 'Rejected' } });
    await expect(stale).rejects.toMatchObject({ data: { error: 'hash_conflict' } });
    await expect(client.views.update({ view_id: 'VNOPE', view: rejectModal })).rejects.toMatchObject({
      data: { error: 'not_found' },
    });
  });

  it('publishes a home tab per user, replacing the previous one', async () => {
    await client.views.publish({ user_id: 'U0ALICE', view: home('first') });
    await client.views.publish({ user_id: 'U0ALICE', view: home('second') });

    expect(fake.homeView('U0ALICE')).toMatchObject({ type: 'home', updates: 1 });
    expect(fake.homeView('U0ALICE')?.view.blocks[0].text.text).toBe('second');
    expect(fake.homeView('U0BOB')).toBeUndefined();
    expect(fake.callsTo('views.publish')[0]?.args.view).toEqual(home('first'));
  });

  it('describes users and channels', async () => {
    const user = await client.users.info({ user: 'U0ALICE' });
    const channel = await client.conversations.info({ channel: 'C0DEPLOYS' });

    expect(user.user).toMatchObject({ id: 'U0ALICE', name: 'u0alice' });
    expect(channel.channel).toMatchObject({ id: 'C0DEPLOYS', is_channel: true, is_member: true });
  });
});
