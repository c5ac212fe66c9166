import { describe, expect, it } from 'vitest';
import { buttonsOf, textOf } from '../../support/fake-slack/index.js';
import { waitFor } from '../../support/wait-for.js';
import { nothingReadAtStart, submitModal } from './reject-helpers.js';
import { slackHarnessPerTest } from './slack-harness.js';

// The production gate through Slack: who may click, what a click changes, and what a refused click says.

const start = slackHarnessPerTest();

describe('the Reject button', () => {
  it('opens a modal for the reason, refuses an empty one, and holds the release with the reason given', async () => {
    const s = await start();
    const id = await s.publish('2.0.0');
    const gate = await s.openGate('2.0.0');

    const click = await s.click('reject', gate, 'U0DAVE');
    expect(click.http.status).toBe(200);
    const opened = await s.fake.waitForCall('views.open', (call) => call.args.trigger_id === click.triggerId);
    expect(opened.ok).toBe(true);
    const modal = s.fake.views().find((view) => view.triggerId === click.triggerId);
    expect(modal?.view).toMatchObject({ callback_id: 'promotion.reject_reason' });
    expect(JSON.parse(modal?.view.private_metadata ?? '')).toEqual({
      promotionId: id,
      responseUrl: expect.stringContaining('/response/'),
    });
    expect(textOf({ blocks: modal?.view.blocks ?? [] })).toContain('Rejecting *checkout 2.0.0*');

    const empty = await s.submitReason(id, '   ', 'U0DAVE');

    expect(empty.status).toBe(200);
    expect(empty.json()).toEqual({
      response_action: 'errors',
      errors: { reason: 'Say why, so the team knows what to fix.' },
    });
    expect((await s.promotion(id)).status).toBe('awaiting_approval');
    expect(buttonsOf(s.fake.message(gate.channel, gate.ts) ?? gate)).toHaveLength(2);

    const submitted = await s.submitReason(id, 'payments freeze until Monday', 'U0DAVE');

    expect(submitted.status).toBe(200);
    expect(submitted.body).toBe('');
    const rejected = await s.gate('2.0.0', (m) => textOf(m).includes('*Rejected* by <@U0DAVE>'));
    expect(buttonsOf(rejected)).toEqual([]);
    expect(textOf(rejected)).toContain(': payments freeze until Monday');
    expect(textOf(rejected)).toContain('`/promote checkout 2.0.0` asks for approval again');
    await s.parent('2.0.0', (text) => text.includes(':double_vertical_bar: held'));
    expect((await s.promotion(id)).approvals).toMatchObject([
      { by: 'U0DAVE', decision: 'reject', reason: 'payments freeze until Monday' },
    ]);
    expect(s.fake.ephemerals()).toEqual([]);
  });
});

describe('a click by someone who may not decide', () => {
  it('is refused privately and changes nothing, for an approve and for a reject', async () => {
    const s = await start();
    const id = await s.publish('3.0.0');
    const gate = await s.openGate('3.0.0');

    const approve = await s.ephemeralReply(await s.click('approve', gate, 'U0MALLORY'));
    const click = await s.click('reject', gate, 'U0MALLORY');
    expect((await submitModal(s, click.triggerId, 'looks wrong', 'U0MALLORY')).status).toBe(200);
    const reject = await s.ephemeralReply(click);

    expect(approve).toBe(':no_entry: you are not an approver for checkout production');
    expect(reject).toBe(':no_entry: you are not an approver for checkout production');
    expect(s.fake.callsTo('views.open').map((call) => call.ok)).toEqual([true]);
    expect((await s.promotion(id)).status).toBe('awaiting_approval');
    expect(buttonsOf(s.fake.message(gate.channel, gate.ts) ?? gate)).toHaveLength(2);
    expect(s.fake.ephemerals().map((m) => [m.user, m.channel])).toEqual([
      ['U0MALLORY', 'C0DEPLOYS'],
      ['U0MALLORY', 'C0DEPLOYS'],
    ]);
  });

  it('refuses the person who promoted it to the gate, and lets another approver release it', async () => {
    const s = await start({ pipeline: { stagingPromote: 'manual' } });
    const id = await s.publish('3.1.0');
    await s.parent('3.1.0', (text) => text.includes(':hourglass_flowing_sand: waiting'));

    const promoted = await s.replyTo(await s.slash('/promote', 'checkout 3.1.0', 'U0CAROL'));
    expect(promoted.response_type).toBe('in_channel');
    expect(promoted.body.text).toBe('<@U0CAROL> asked for approval of checkout 3.1.0 for production');
    const gate = await s.openGate('3.1.0');
    expect(textOf(gate)).toContain('<@U0CAROL> started this promotion and may not approve it.');

    const own = await s.ephemeralReply(await s.click('approve', gate, 'U0CAROL'));

    expect(own).toBe(':no_entry: you started this promotion, so someone else must approve it');
    expect((await s.promotion(id)).status).toBe('awaiting_approval');

    await s.click('approve', gate, 'U0DAVE');

    const decided = await s.gate('3.1.0', (m) => textOf(m).includes('*Approved* by <@U0DAVE>'));
    expect(buttonsOf(decided)).toEqual([]);
    await s.parent('3.1.0', (text) => text.includes(':rocket: released'));
  });
});

describe('a gate that is no longer open', () => {
  it('answers a second click privately: two clicks at once approve it exactly once', async () => {
    const s = await start();
    const id = await s.publish('4.0.0');
    const gate = await s.openGate('4.0.0');

    const clicks = await Promise.all([
      s.click('approve', gate, 'U0CAROL'),
      s.click('approve', gate, 'U0CAROL'),
    ]);

    const answered = await waitFor('one of the two clicks to be answered', () =>
      s.fake.responses.find((r) => clicks.some((click) => click.responseId === r.id)),
    );
    expect(answered.body.text).toMatch(
      /^:no_entry: (4\.0\.0 is not waiting for approval|you have already decided)/,
    );
    await s.gate('4.0.0', (m) => textOf(m).includes('*Approved* by <@U0CAROL>'));
    await s.parent('4.0.0', (text) => text.includes(':rocket: released'));
    const late = await s.ephemeralReply(await s.click('approve', gate, 'U0DAVE'));
    expect(late).toBe(':no_entry: 4.0.0 is not waiting for approval (it is released to production)');
    expect((await s.promotion(id)).approvals).toMatchObject([{ by: 'U0CAROL', decision: 'approve' }]);
    const answeredIds = s.fake.responses.map((r) => r.id);
    expect(answeredIds.filter((responseId) => clicks.some((c) => c.responseId === responseId))).toHaveLength(
      1,
    );
  });

  it('refuses a click after the request expired, and the gate says it expired', async () => {
    const s = await start({ pipeline: { expiresAfter: '300ms' } });
    const id = await s.publish('4.1.0');
    const gate = await s.gate('4.1.0');
    const expired = await s.gate('4.1.0', (m) => textOf(m).includes(':hourglass: *Expired*'));
    expect(buttonsOf(expired)).toEqual([]);
    expect(textOf(expired)).toContain('`/promote checkout 4.1.0` asks again');
    await s.parent('4.1.0', (text) => text.includes(':double_vertical_bar: held'));

    const late = await s.ephemeralReply(await s.clickValue('promotion.approve', id, gate, 'U0CAROL'));

    expect(late).toBe(':no_entry: this approval request has expired');
    expect((await s.promotion(id)).status).toBe('held');
    expect((await s.promotion(id)).approvals).toEqual([]);
  });

  it('does nothing for the Approve button of a gate a hold closed, once the gate is asked again', async () => {
    const s = await start();
    const id = await s.publish('4.2.0');
    const first = await s.openGate('4.2.0');
    await s.replyTo(await s.slash('/hold', 'checkout production incident 42', 'U0ALICE'));
    await s.gate('4.2.0', (m) => textOf(m).includes('was put on hold'));
    await s.replyTo(await s.slash('/unhold', 'checkout production', 'U0ALICE'));
    const again = await s.openGate('4.2.0');
    expect(again.ts).not.toBe(first.ts);

    // A client that still shows the first gate: its click arrives after the new request was asked.
    const stale = await s.ephemeralReply(await s.click('approve', first, 'U0CAROL'));

    expect(stale).toBe(
      ':no_entry: that approval request was closed and asked again: use the Approve button on the newest gate',
    );
    expect((await s.promotion(id)).status).toBe('awaiting_approval');
    expect((await s.promotion(id)).approvals).toEqual([]);
    await s.click('approve', again, 'U0CAROL');
    await s.parent('4.2.0', (text) => text.includes(':rocket: released'));
  });

  it('is closed by a newer version: the old gate says which one and loses its buttons', async () => {
    const s = await start();
    const old = await s.publish('5.0.0');
    const oldGate = await s.openGate('5.0.0');

    await s.publish('5.1.0');

    const superseded = await s.gate('5.0.0', (m) =>
      textOf(m).includes(':fast_forward: *Superseded* by 5.1.0'),
    );
    expect(buttonsOf(superseded)).toEqual([]);
    await s.parent('5.0.0', (text) => text.includes(':fast_forward: superseded'));
    const newGate = await s.openGate('5.1.0');
    expect(newGate.ts).not.toBe(oldGate.ts);
    const stale = await s.ephemeralReply(await s.click('approve', oldGate, 'U0CAROL'));
    expect(stale).toBe(':no_entry: superseded by a newer version (5.1.0)');
    expect((await s.promotion(old)).status).toBe('superseded');
  });
});

describe('an approver named through a user group', () => {
  it('may approve, and someone outside the group may not', async () => {
    const s = await start({
      pipeline: { approvers: ['S0RELEASE'] },
      fake: { usergroups: { S0RELEASE: ['U0CAROL'] } },
    });
    await s.publish('6.0.0');
    const gate = await s.openGate('6.0.0');
    expect(textOf(gate)).toContain('*Who may approve:* <!subteam^S0RELEASE>');

    const outsider = await s.ephemeralReply(await s.click('approve', gate, 'U0DAVE'));
    expect(outsider).toBe(':no_entry: you are not an approver for checkout production');

    await s.click('approve', gate, 'U0CAROL');

    await s.gate('6.0.0', (m) => textOf(m).includes('*Approved* by <@U0CAROL>'));
    await s.parent('6.0.0', (text) => text.includes(':rocket: released'));
    expect(s.fake.callsTo('usergroups.users.list').map((call) => call.args.usergroup)).toContain('S0RELEASE');
  });
});

describe('a gate whose approvers include a user group Slack will not list', () => {
  const HINTS = {
    missing_scope: 'the app needs the usergroups:read scope; reinstall it with the manifest',
    plan_upgrade_required: 'user groups need a paid Slack plan; name people by user id in the pipeline file',
    no_such_subteam: 'there is no such user group; check the ids in the pipeline file',
  } as const;

  it.each(Object.entries(HINTS))(
    'on %s, still counts an approver named directly and tells anyone else privately what is wrong',
    async (error, hint) => {
      const s = await start({ pipeline: { approvers: ['U0CAROL', 'S0RELEASE'] } });
      await nothingReadAtStart(s);
      s.fake.failFor(120_000, { error }, 'usergroups.users.list');
      s.fake.setUsergroup('S0RELEASE', ['U0ERIN']);
      const id = await s.publish('6.0.0');
      const gate = await s.openGate('6.0.0');

      const approve = await s.ephemeralReply(await s.click('approve', gate, 'U0ERIN'));
      const click = await s.click('reject', gate, 'U0ERIN');
      await submitModal(s, click.triggerId, 'looks wrong', 'U0ERIN');
      const reject = await s.ephemeralReply(click);

      const expected = `:no_entry: I could not check membership of user group S0RELEASE: Slack said ${error} (${hint})`;
      expect(approve).toBe(expected);
      expect(reject).toBe(expected);
      expect((await s.promotion(id)).status).toBe('awaiting_approval');

      await s.click('approve', gate, 'U0CAROL');

      await s.parent('6.0.0', (text) => text.includes(':rocket: released'));
      const approvals = (await s.promotion(id)).approvals.map((a: { by: string }) => a.by);
      expect(approvals).toEqual(['U0CAROL']);
    },
  );

  it('counts a member of the group once Slack answers again', async () => {
    const s = await start({ pipeline: { approvers: ['U0CAROL', 'S0RELEASE'] } });
    await nothingReadAtStart(s);
    s.fake.setUsergroup('S0RELEASE', ['U0ERIN']);
    s.fake.failNext('usergroups.users.list', 1, { error: 'missing_scope' });
    const id = await s.publish('6.1.0');
    const gate = await s.openGate('6.1.0');
    expect(await s.ephemeralReply(await s.click('approve', gate, 'U0ERIN'))).toMatch(/missing_scope/);

    await s.click('approve', gate, 'U0ERIN');

    await s.parent('6.1.0', (text) => text.includes(':rocket: released'));
    expect((await s.promotion(id)).approvals.map((a: { by: string }) => a.by)).toEqual(['U0ERIN']);
  });
});
