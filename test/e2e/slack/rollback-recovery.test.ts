import { describe, expect, it } from 'vitest';
import { buttonsOf, textOf } from '../../support/fake-slack/index.js';
import { waitFor } from '../../support/wait-for.js';
import { submitModal } from './reject-helpers.js';
import { askRollback, clickRollback } from './rollback-helpers.js';
import { DEPLOYS, ONCALL, type SlackHarness, slackHarnessPerTest } from './slack-harness.js';

// Rollbacks people can trust: every message says the same thing about what runs in production, an automatic
// rollback says what to do next (and so does /promote of the rolled-back version), the chart sits where people
// look, and a gate overtaken by a newer version keeps what happened to it.

const startSlack = slackHarnessPerTest();

/** `1.0.0 \`sha256:0123456789ab\``: how every message names what runs in production. */
async function named(s: SlackHarness, id: string): Promise<string> {
  const { version, digest } = await s.promotion(id);
  return `${version} \`${digest.slice(0, 19)}\``;
}

async function release(s: SlackHarness, version: string): Promise<{ id: string; gate: string }> {
  const id = await s.publish(version);
  const gate = await s.openGate(version);
  await s.click('approve', gate, 'U0CAROL');
  await s.parent(version, (text) => text.includes(':rocket: released'));
  return { id, gate: textOf(gate) };
}

async function homeText(s: SlackHarness, user: string): Promise<string> {
  const before = s.fake.callsTo('views.publish').length;
  expect((await s.openHome(user)).status).toBe(200);
  await waitFor('App Home to be published', () => s.fake.callsTo('views.publish').length > before);
  return textOf({ blocks: s.fake.homeView(user)?.view.blocks ?? [] });
}

describe('what runs in production now', () => {
  it('is the same on the gates, the rollback notices and App Home, through two releases, a rollback and a new gate', async () => {
    const s = await startSlack();

    const first = await release(s, '1.0.0');
    expect(first.gate).toContain('*In production now:* nothing yet (first release)');
    const one = await named(s, first.id);
    expect(await homeText(s, 'U0ALICE')).toContain(`*production* ${one} since`);

    const second = await release(s, '1.1.0');
    expect(second.gate).toContain(`*In production now:* ${one}`);
    const eleven = await named(s, second.id);
    expect(await homeText(s, 'U0ALICE')).toContain(`*production* ${eleven} since`);

    // While the rollback step runs, 1.1.0 still serves: the record says so, and so does the notice.
    await s.workspace.touch('slow-rollback-1.1.0');
    await s.replyTo(await clickRollback(s, await askRollback(s, 'checkout', 'U0ALICE'), 'U0ALICE'));
    const rolling = await s.fake.waitForMessage(
      ONCALL,
      (m) => m.text === 'Rolling back checkout 1.1.0 in production',
    );
    expect(textOf(rolling)).toContain(`*Running in production now:* ${eleven}`);
    await s.workspace.touch('release-rollback-1.1.0');
    const rolledBack = await s.fake.waitForMessage(
      ONCALL,
      (m) => m.text === 'Rolled back checkout 1.1.0 in production',
    );
    expect(textOf(rolledBack)).toContain(`*Running in production now:* ${one}`);
    expect(await homeText(s, 'U0ALICE')).toContain(`*production* ${one} since`);

    await s.publish('1.2.0');
    const third = await s.openGate('1.2.0');
    expect(textOf(third)).toContain(`*In production now:* ${one}`);
    expect(textOf(third)).not.toContain('nothing yet');

    // 1.0.0 runs again, and it was the first release: there is nothing earlier, and /rollback says so.
    const refused = await s.ephemeralReply(await s.slash('/rollback', 'checkout production', 'U0ALICE'));
    expect(refused).toBe(
      ':no_entry: checkout production has nothing earlier to go back to: 1.0.0 is its first release there',
    );
    expect(await s.workspace.lines('rollbacks.log')).toEqual(['rollback 1.1.0 -> 1.0.0']);
  });
});

describe('after an automatic rollback', () => {
  async function breached(s: SlackHarness) {
    await release(s, '2.0.0');
    s.prometheus.set('2.1.0', 0.2);
    const id = await s.publish('2.1.0');
    await s.click('approve', await s.openGate('2.1.0'), 'U0DAVE');
    const alert = await s.fake.waitForMessage(
      ONCALL,
      (m) => m.text === 'Rolled back checkout 2.1.0 in production',
    );
    const parent = await s.parent('2.1.0', (t) => t.includes(':leftwards_arrow_with_hook: rolled back'));
    return { id, alert, parent };
  }

  const next = 'an approver can `/promote checkout 2.1.0 --force`, or publish a fixed version';

  it('says at which rollout step it breached and exactly what to do next, and /promote of that version says the same', async () => {
    const s = await startSlack();
    const { alert } = await breached(s);

    expect(textOf(alert)).toContain('*Where:* breached at canary 10% (step 1 of 3)');
    expect(textOf(alert)).toContain(`*Next:* A${next.slice(1)}.`);
    const reply = await s.ephemeralReply(await s.slash('/promote', 'checkout 2.1.0', 'U0ALICE'));
    expect(reply).toBe(`:no_entry: checkout 2.1.0 was rolled back: ${next}`);
    expect(reply).not.toContain('not waiting for a promote');
  });

  it('puts the chart, titled with the step it breached at, under the final notice and in the promotion thread', async () => {
    const s = await startSlack();
    const { alert, parent } = await breached(s);

    const charts = await waitFor('both charts', () => {
      const done = s.fake.files().filter((file) => file.completed);
      return done.length === 2 ? done : undefined;
    });
    expect(charts.map((chart) => [chart.channel_id, chart.thread_ts])).toEqual([
      [DEPLOYS, parent.ts],
      [ONCALL, alert.ts],
    ]);
    for (const chart of charts) {
      expect(chart).toMatchObject({
        filename: 'rollback-metric.png',
        title: 'error-rate against its threshold during the rollout: breached at canary 10% (step 1 of 3)',
      });
      expect(chart.content?.subarray(1, 4).toString()).toBe('PNG');
    }
    // Each follows the final notice; none goes under the first alert.
    const shared = (m: { text: string; files?: readonly { name: string }[] }) =>
      m.files?.map((file) => file.name).join() ?? m.text;
    expect(s.fake.thread(DEPLOYS, parent.ts).slice(-2).map(shared)).toEqual([
      'Rolled back checkout 2.1.0 in production',
      'rollback-metric.png',
    ]);
    expect(s.fake.thread(ONCALL, alert.ts).map(shared)).toEqual(['rollback-metric.png']);
    const [first] = s.fake.messages(ONCALL);
    expect(first?.text).toBe('Rolling back checkout 2.1.0 in production');
    expect(s.fake.thread(ONCALL, first?.ts ?? '')).toEqual([]);
    expect(s.fake.callsTo('files.completeUploadExternal')).toHaveLength(2);
  });

  it('leads out by the way it names: force the version back in, approve, released; nothing to unhold', async () => {
    const s = await startSlack();
    const { id } = await breached(s);

    const unhold = await s.ephemeralReply(await s.slash('/unhold', 'checkout production', 'U0ALICE'));
    expect(unhold).toMatch(/not on hold/);
    s.prometheus.set('2.1.0', 0);
    const forced = await s.replyTo(await s.slash('/promote', 'checkout 2.1.0 --force', 'U0CAROL'));
    expect(forced.response_type).toBe('in_channel');
    const gate = await s.gate('2.1.0', (m) => buttonsOf(m).length === 2, { timeoutMs: 20_000 });
    await s.click('approve', gate, 'U0DAVE');

    const released = await s.parent('2.1.0', (t) => t.includes(':rocket: released'), { timeoutMs: 20_000 });
    expect(released.ts).not.toBe((await s.parent('2.1.0', (t) => t.includes('rolled back'))).ts);
    expect((await s.promotion(id)).status).toBe('rolled_back');
  });
});

describe('a gate that a newer version supersedes after a rejection', () => {
  it('keeps who rejected it and why, and says it stopped at production, not staging', async () => {
    const s = await startSlack();
    await s.publish('5.0.0');
    const click = await s.click('reject', await s.openGate('5.0.0'), 'U0DAVE');
    await submitModal(s, click.triggerId, 'payments freeze until Monday', 'U0DAVE');
    await s.gate('5.0.0', (m) => textOf(m).includes('*Rejected* by <@U0DAVE>'));

    await s.publish('5.1.0');

    const superseded = await s.gate('5.0.0', (m) =>
      textOf(m).includes(':fast_forward: *Superseded* by 5.1.0'),
    );
    const text = textOf(superseded);
    expect(text).toMatch(/:no_entry: \*Rejected\* by <@U0DAVE> <!date[^>]+>: payments freeze until Monday\n/);
    expect(text).not.toContain('asks for approval again');
    expect(buttonsOf(superseded)).toEqual([]);
    const parent = await s.parent('5.0.0', (t) => t.includes(':fast_forward: superseded'));
    expect(parent.text).toMatch(/^checkout 5\.0\.0: superseded in production /);
    expect(textOf(parent)).toContain(':fast_forward: superseded · production');
  });
});
