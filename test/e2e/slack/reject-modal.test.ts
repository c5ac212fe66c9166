import { describe, expect, it } from 'vitest';
import { buttonsOf, dmChannelOf, textOf } from '../../support/fake-slack/index.js';
import { nothingReadAtStart, submitModal } from './reject-helpers.js';
import { type SlackHarness, slackHarnessPerTest } from './slack-harness.js';

// The reject click against a Slack whose user-group lookups are slow or rate limited: the modal opens inside the
// trigger id's 3 s whatever usergroups.users.list does, and who may decide is checked when the reason comes back.
// Private replies reach people who are not in the channel.

const start = slackHarnessPerTest();
const TRIGGER_WINDOW_MS = 3_000;
const NOT_AN_APPROVER = ':no_entry: you are not an approver for checkout production';

describe('the reject modal’s reason', () => {
  it('takes as many characters as the modal lets a person type, and refuses more with a reason', async () => {
    const s = await start();
    const id = await s.publish('1.0.0');
    const gate = await s.openGate('1.0.0');
    const click = await s.click('reject', gate, 'U0DAVE');
    const modal = await s.fake.waitForCall('views.open', (call) => call.args.trigger_id === click.triggerId);
    const input = modal.args.view.blocks.find((block: { type: string }) => block.type === 'input');
    const max: number = input.element.max_length;

    const tooLong = await s.submitReason(id, 'x'.repeat(max + 1), 'U0DAVE');
    expect(tooLong.json()).toEqual({
      response_action: 'errors',
      errors: { reason: `Keep the reason under ${max} characters.` },
    });
    expect((await s.promotion(id)).status).toBe('awaiting_approval');

    expect((await s.submitReason(id, 'y'.repeat(max), 'U0DAVE')).status).toBe(200);
    await s.gate('1.0.0', (m) => textOf(m).includes('*Rejected* by <@U0DAVE>'));
  });
});

describe('the reject modal with user-group approvers', () => {
  it('opens within 3 s while usergroups.users.list hangs, and a group member’s reason rejects', async () => {
    const s = await start({ pipeline: { approvers: ['S0RELEASE'] } });
    await nothingReadAtStart(s);
    s.fake.setUsergroup('S0RELEASE', ['U0ERIN']);
    s.fake.failNext('usergroups.users.list', 1, { hangMs: 5_000 });
    const id = await s.publish('2.0.0');
    const gate = await s.openGate('2.0.0');

    const clickedAt = Date.now();
    const click = await s.click('reject', gate, 'U0ERIN');

    const opened = await s.fake.waitForCall('views.open', (call) => call.args.trigger_id === click.triggerId);
    expect(opened.ok).toBe(true);
    expect(opened.at - clickedAt).toBeLessThan(TRIGGER_WINDOW_MS);
    expect(lookupsBetween(s, clickedAt, opened.at)).toEqual([]);

    expect((await submitModal(s, click.triggerId, 'payments freeze', 'U0ERIN')).status).toBe(200);

    await s.gate('2.0.0', (m) => textOf(m).includes('*Rejected* by <@U0ERIN>'));
    expect((await s.promotion(id)).approvals).toMatchObject([
      { by: 'U0ERIN', decision: 'reject', reason: 'payments freeze' },
    ]);
    const read = s.fake.callsTo('usergroups.users.list').filter((call) => call.at > opened.at);
    expect(read.map((call) => call.fault)).toEqual([{ hangMs: 5_000 }]);
  });

  it('opens within 3 s while Slack rate limits lookups, and decides from the members read at start', async () => {
    const s = await start({
      pipeline: { approvers: ['S0RELEASE'] },
      fake: { usergroups: { S0RELEASE: ['U0ERIN'] } },
    });
    expect((await s.fake.waitForCall('usergroups.users.list')).ok).toBe(true);
    s.fake.failFor(120_000, { ratelimit: 30 }, 'usergroups.users.list');
    await s.publish('2.1.0');
    const gate = await s.openGate('2.1.0');

    const clickedAt = Date.now();
    const click = await s.click('reject', gate, 'U0ERIN');
    const opened = await s.fake.waitForCall('views.open', (call) => call.args.trigger_id === click.triggerId);
    await submitModal(s, click.triggerId, 'not today', 'U0ERIN');

    await s.gate('2.1.0', (m) => textOf(m).includes('*Rejected* by <@U0ERIN>'));
    expect(opened.ok).toBe(true);
    expect(opened.at - clickedAt).toBeLessThan(TRIGGER_WINDOW_MS);
    expect(lookupsBetween(s, clickedAt, Date.now())).toEqual([]);
  });

  it('refuses a non-member’s reason privately and changes nothing', async () => {
    const s = await start({
      pipeline: { approvers: ['S0RELEASE'] },
      fake: { usergroups: { S0RELEASE: ['U0ERIN'] } },
    });
    const id = await s.publish('2.2.0');
    const gate = await s.openGate('2.2.0');

    const click = await s.click('reject', gate, 'U0MALLORY');
    expect((await submitModal(s, click.triggerId, 'I do not like it', 'U0MALLORY')).status).toBe(200);

    expect(await s.ephemeralReply(click)).toBe(NOT_AN_APPROVER);
    expect((await s.promotion(id)).status).toBe('awaiting_approval');
    expect((await s.promotion(id)).approvals).toEqual([]);
    expect(buttonsOf(s.fake.message(gate.channel, gate.ts) ?? gate)).toHaveLength(2);
  });

  it('tells a member what is wrong when their group cannot be read and nothing is cached', async () => {
    const s = await start({ pipeline: { approvers: ['S0RELEASE'] } });
    await nothingReadAtStart(s);
    s.fake.setUsergroup('S0RELEASE', ['U0ERIN']);
    s.fake.failNext('usergroups.users.list', 1, { error: 'missing_scope' });
    const id = await s.publish('2.3.0');
    const gate = await s.openGate('2.3.0');

    const click = await s.click('reject', gate, 'U0ERIN');
    await submitModal(s, click.triggerId, 'payments freeze', 'U0ERIN');

    expect(await s.ephemeralReply(click)).toBe(
      ':no_entry: I could not check membership of user group S0RELEASE: Slack said missing_scope (the app needs the usergroups:read scope; reinstall it with the manifest)',
    );
    expect((await s.promotion(id)).status).toBe('awaiting_approval');
  });
});

describe('a private reply to someone who is not in the channel', () => {
  it('reaches them as a direct message when chat.postEphemeral says user_not_in_channel', async () => {
    const s = await start();
    const id = await s.publish('3.0.0');
    await s.openGate('3.0.0');
    s.fake.failNext('chat.postEphemeral', 1, { error: 'user_not_in_channel' });

    // A modal opened before response URLs travelled in it: the refusal has only the channel to go to.
    await s.submitReason(id, 'looks wrong', 'U0MALLORY');

    const dm = await s.fake.waitForMessage(dmChannelOf('U0MALLORY'), (m) => m.text.length > 0);
    expect(dm.text).toBe(NOT_AN_APPROVER);
    expect(s.fake.callsTo('chat.postEphemeral').map((call) => call.error)).toEqual(['user_not_in_channel']);
  });

  it('reaches them another way when the click’s response URL is refused and they are not in the channel', async () => {
    const s = await start();
    await s.publish('3.1.0');
    const gate = await s.openGate('3.1.0');
    s.fake.failNext('response_url', 1, { status: 404 });
    s.fake.failNext('chat.postEphemeral', 1, { error: 'user_not_in_channel' });

    await s.click('approve', gate, 'U0MALLORY');

    const dm = await s.fake.waitForMessage(dmChannelOf('U0MALLORY'), (m) => m.text.length > 0);
    expect(dm.text).toBe(NOT_AN_APPROVER);
    expect(s.fake.callsTo('chat.postEphemeral').map((call) => call.args.user)).toEqual(['U0MALLORY']);
  });
});

/** The usergroups.users.list calls that arrived between two instants. */
function lookupsBetween(s: SlackHarness, from: number, to: number): number[] {
  return s.fake
    .callsTo('usergroups.users.list')
    .filter((call) => call.at >= from && call.at <= to)
    .map((call) => call.at);
}
