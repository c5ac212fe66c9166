import { describe, expect, it } from 'vitest';
import { textOf } from '../../support/fake-slack/index.js';
import { sendSlashCommand } from '../../support/slack-requests.js';
import { waitFor } from '../../support/wait-for.js';
import { askRollback, CANCEL, CONFIRM, clickRollback } from './rollback-helpers.js';
import { DEPLOYS, SECRET, type SlackHarness, slackHarnessPerTest } from './slack-harness.js';

// A manual rollback asks first, privately, naming the versions; it acts once, only while what it named is
// still true, and never rolls back to nothing.

const startSlack = slackHarnessPerTest();

async function release(s: SlackHarness, version: string): Promise<string> {
  const id = await s.publish(version);
  await s.click('approve', await s.openGate(version), 'U0CAROL');
  await s.parent(version, (text) => text.includes(':rocket: released'));
  return id;
}

async function rolledBack(s: SlackHarness, version: string): Promise<void> {
  await s.parent(version, (text) => text.includes(':leftwards_arrow_with_hook: rolled back'));
}

describe('/rollback asks first', () => {
  it('asks privately which versions it goes between, and rolls nothing back until confirmed', async () => {
    const s = await startSlack();
    await release(s, '8.0.0');
    const id = await release(s, '8.1.0');

    const question = await askRollback(s, 'checkout bad migration', 'U0ALICE');

    expect(question.text).toBe('Roll back checkout production from 8.1.0 to 8.0.0?');
    expect(textOf(question)).toContain('Reason: bad migration');
    expect((await s.promotion(id)).status).toBe('released');
    expect(await s.workspace.lines('rollbacks.log')).toEqual([]);
    expect(s.fake.messages(DEPLOYS).some((m) => m.text.includes('rolling back'))).toBe(false);
  });

  it('rolls back once when confirmed, and a second click on the same question says why it does nothing', async () => {
    const s = await startSlack();
    await release(s, '8.0.0');
    await release(s, '8.1.0');
    const question = await askRollback(s, 'checkout', 'U0ALICE');

    const first = await s.replyTo(await clickRollback(s, question, 'U0ALICE'));
    await rolledBack(s, '8.1.0');
    const second = await s.ephemeralReply(await clickRollback(s, question, 'U0CAROL'));

    expect(first.response_type).toBe('in_channel');
    expect(first.body.text).toBe('<@U0ALICE> is rolling back checkout production from 8.1.0 to 8.0.0');
    expect(second).toMatch(
      /^:no_entry: this confirmation is out of date \(rolling back checkout production from 8\.1\.0 to 8\.0\.0\): /,
    );
    expect(await s.workspace.lines('rollbacks.log')).toEqual(['rollback 8.1.0 -> 8.0.0']);
  });

  it('acts once on a replayed signed /rollback: each copy only asks, and only one confirmation acts', async () => {
    const s = await startSlack();
    await release(s, '8.0.0');
    await release(s, '8.1.0');
    const input = {
      command: '/rollback',
      text: 'checkout',
      userId: 'U0ALICE',
      channelId: DEPLOYS,
      responseUrl: s.fake.responseUrl('RREPLAY', { channel: DEPLOYS, userId: 'U0ALICE' }),
    };
    const timestamp = Math.floor(Date.now() / 1000);

    const sent = [
      await sendSlashCommand(s.eventsUrl, SECRET, input, { timestamp }),
      await sendSlashCommand(s.eventsUrl, SECRET, input, { timestamp }),
    ];
    await waitFor('the question', () => s.fake.ephemerals(DEPLOYS).length > 0);
    const questions = s.fake.ephemerals(DEPLOYS);
    const answers = [];
    for (const question of questions)
      answers.push(await s.replyTo(await clickRollback(s, question, 'U0ALICE')));
    await rolledBack(s, '8.1.0');

    expect(sent.every((response) => response.status < 500)).toBe(true);
    expect(questions.every((q) => q.text === 'Roll back checkout production from 8.1.0 to 8.0.0?')).toBe(
      true,
    );
    expect(answers.filter((a) => a.response_type === 'in_channel')).toHaveLength(1);
    expect(await s.workspace.lines('rollbacks.log')).toEqual(['rollback 8.1.0 -> 8.0.0']);
  });

  it('rolls back once when two owners confirm at the same moment', async () => {
    const s = await startSlack();
    await release(s, '8.0.0');
    await release(s, '8.1.0');
    const alice = await askRollback(s, 'checkout', 'U0ALICE');
    const carol = await askRollback(s, 'checkout', 'U0CAROL');

    const clicks = await Promise.all([
      clickRollback(s, alice, 'U0ALICE'),
      clickRollback(s, carol, 'U0CAROL'),
      clickRollback(s, alice, 'U0ALICE'),
    ]);
    const answers = await Promise.all(clicks.map((click) => s.replyTo(click)));
    await rolledBack(s, '8.1.0');

    expect(answers.filter((a) => a.response_type === 'in_channel')).toHaveLength(1);
    expect(answers.filter((a) => a.response_type === 'ephemeral')).toHaveLength(2);
    expect(await s.workspace.lines('rollbacks.log')).toEqual(['rollback 8.1.0 -> 8.0.0']);
  });

  it('does nothing on a confirmation that went stale while a newer release went out', async () => {
    const s = await startSlack();
    await release(s, '8.0.0');
    await release(s, '8.1.0');
    const question = await askRollback(s, 'checkout', 'U0ALICE');
    const id = await release(s, '8.2.0');

    const reply = await s.ephemeralReply(await clickRollback(s, question, 'U0ALICE'));

    expect(reply).toBe(
      ':no_entry: this confirmation is out of date (rolling back checkout production from 8.1.0 to 8.0.0): a rollback now would go from 8.2.0 to 8.1.0; run /rollback again to confirm that',
    );
    expect((await s.promotion(id)).status).toBe('released');
    expect(await s.workspace.lines('rollbacks.log')).toEqual([]);
  });

  it('refuses to roll back a first release, which has nothing earlier, and says so', async () => {
    const s = await startSlack();
    const id = await release(s, '8.0.0');

    const reply = await s.ephemeralReply(await s.slash('/rollback', 'checkout production', 'U0ALICE'));

    expect(reply).toBe(
      ':no_entry: checkout production has nothing earlier to go back to: 8.0.0 is its first release there',
    );
    expect((await s.promotion(id)).status).toBe('released');
    expect(s.fake.ephemerals(DEPLOYS)).toHaveLength(1);
  });

  it('lets only owners ask and only owners confirm', async () => {
    const s = await startSlack();
    await release(s, '8.0.0');
    const id = await release(s, '8.1.0');
    const question = await askRollback(s, 'checkout', 'U0ALICE');

    const asked = await s.ephemeralReply(await s.slash('/rollback', 'checkout', 'U0MALLORY'));
    const clicked = await s.ephemeralReply(await clickRollback(s, question, 'U0MALLORY'));

    expect(asked).toBe(':no_entry: only the owners of checkout may do that');
    expect(clicked).toBe(':no_entry: only the owners of checkout may do that');
    expect((await s.promotion(id)).status).toBe('released');
  });

  it('does nothing on Cancel, and refuses a forged value', async () => {
    const s = await startSlack();
    await release(s, '8.0.0');
    const id = await release(s, '8.1.0');
    const question = await askRollback(s, 'checkout', 'U0ALICE');

    const cancelled = await s.replyTo(await clickRollback(s, question, 'U0ALICE', CANCEL));
    const forged = await s.ephemeralReply(
      await s.clickValue(
        CONFIRM,
        '{"service":"checkout"}',
        { ...question, attachments: [], edits: 0, bot_id: '' },
        'U0ALICE',
      ),
    );

    expect(cancelled.delete_original).toBe(true);
    expect(forged).toBe(':no_entry: this button does not name a rollback; run /rollback again');
    expect((await s.promotion(id)).status).toBe('released');
    expect(await s.workspace.lines('rollbacks.log')).toEqual([]);
  });
});
