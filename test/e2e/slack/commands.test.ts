import { describe, expect, it } from 'vitest';
import { buttonsOf, textOf } from '../../support/fake-slack/index.js';
import { waitFor } from '../../support/wait-for.js';
import { askRollback, clickRollback } from './rollback-helpers.js';
import { DEPLOYS, ONCALL, type SlackHarness, slackHarnessPerTest } from './slack-harness.js';

// Slash commands end to end: /hold and /unhold around the gate, /rollback after two releases (confirmed), bad
// input, and user text that must reach the channel inert.

const startSlack = slackHarnessPerTest();

async function release(s: SlackHarness, version: string): Promise<void> {
  await s.publish(version);
  await s.click('approve', await s.openGate(version), 'U0CAROL');
  await s.parent(version, (text) => text.includes(':rocket: released'));
}

async function homeText(s: SlackHarness, user: string): Promise<string> {
  const before = s.fake.callsTo('views.publish').length;
  const response = await s.openHome(user);
  expect(response.status).toBe(200);
  await waitFor('App Home to be published', () => s.fake.callsTo('views.publish').length > before);
  return textOf({ blocks: s.fake.homeView(user)?.view.blocks ?? [] });
}

describe('/hold and /unhold', () => {
  it('stops a promotion before the production gate while production is held, and asks once it is lifted', async () => {
    const s = await startSlack();
    const placed = await s.replyTo(
      await s.slash('/hold', 'checkout production quarter-end freeze', 'U0ALICE'),
    );
    expect(placed.response_type).toBe('in_channel');
    expect(placed.body.text).toBe('<@U0ALICE> put checkout production on hold: quarter-end freeze');

    const id = await s.publish('7.0.0');
    const held = await s.parent('7.0.0', (text) => text.includes(':double_vertical_bar: held'));
    expect(textOf(held)).toContain('Held before production by <@U0ALICE>: quarter-end freeze');
    expect((await s.promotion(id)).status).toBe('held');
    // No approval is asked for while production is held: no gate message, nothing to click.
    expect(s.fake.messages(DEPLOYS).filter((m) => buttonsOf(m).length > 0)).toEqual([]);

    const released = await s.replyTo(await s.slash('/unhold', 'checkout production', 'U0ALICE'));

    expect(released.body.text).toBe('<@U0ALICE> lifted the hold on checkout production');
    await s.click('approve', await s.openGate('7.0.0'), 'U0CAROL');
    await s.parent('7.0.0', (text) => text.includes(':rocket: released'));
  });

  it('closes an open gate when production is put on hold, saying who and why, and asks again after', async () => {
    const s = await startSlack();
    const id = await s.publish('7.0.1');
    const open = await s.openGate('7.0.1');

    await s.replyTo(await s.slash('/hold', 'checkout production incident 42', 'U0ALICE'));

    const closed = await s.gate('7.0.1', (m) => textOf(m).includes('was put on hold'));
    expect(buttonsOf(closed)).toEqual([]);
    expect(textOf(closed)).toContain('*production was put on hold* by <@U0ALICE>: incident 42');
    const late = await s.ephemeralReply(await s.click('approve', open, 'U0CAROL'));
    expect(late).toMatch(/^:no_entry: /);
    expect((await s.promotion(id)).status).toBe('held');
    expect((await s.workspace.lines('deploys.log')).some((line) => line.startsWith('production'))).toBe(
      false,
    );

    await s.replyTo(await s.slash('/unhold', 'checkout production', 'U0ALICE'));
    const again = await s.openGate('7.0.1');
    expect(again.ts).not.toBe(open.ts);
    await s.click('approve', again, 'U0CAROL');
    await s.parent('7.0.1', (text) => text.includes(':rocket: released'));
  });

  it('lifts a hold placed `for` a while by itself, says until when, and the promotion goes on', async () => {
    const s = await startSlack();
    const placed = await s.replyTo(
      await s.slash('/hold', 'checkout production for 2s deploy window closed', 'U0ALICE'),
    );
    expect(placed.body.text).toMatch(
      /^<@U0ALICE> put checkout production on hold for 2 seconds \(until \d{4}-\d\d-\d\d \d\d:\d\d UTC\): deploy window closed$/,
    );

    await s.publish('7.0.2');
    await s.parent('7.0.2', (text) => text.includes(':double_vertical_bar: held'));
    // Nobody unholds: the gate opens when the two seconds are up.
    await s.click('approve', await s.openGate('7.0.2'), 'U0CAROL');
    await s.parent('7.0.2', (text) => text.includes(':rocket: released'));
    const home = await homeText(s, 'U0ALICE');
    expect(home).not.toContain('*production* held');
  });

  it('refuses holds and unholds from someone who does not own the service, and changes nothing', async () => {
    const s = await startSlack();
    await s.replyTo(await s.slash('/hold', 'checkout production freeze', 'U0ALICE'));

    const hold = await s.ephemeralReply(await s.slash('/hold', 'checkout staging mine now', 'U0MALLORY'));
    const unhold = await s.ephemeralReply(await s.slash('/unhold', 'checkout production', 'U0MALLORY'));

    expect(hold).toBe(':no_entry: only the owners of checkout may do that');
    expect(unhold).toBe(':no_entry: only the owners of checkout may do that');
    const home = await homeText(s, 'U0MALLORY');
    expect(home).toContain('*production* held by <@U0ALICE>');
    expect(home).not.toContain('*staging* held');
    expect(s.fake.messages(DEPLOYS).map((m) => m.text)).toEqual([
      '<@U0ALICE> put checkout production on hold: freeze',
    ]);
  });
});

describe('user text in the channel', () => {
  it('shows a hostile /hold reason as typed: no channel ping, no disguised link, no bidi override', async () => {
    const s = await startSlack();
    const reason = '<!channel> see <http://evil.example|docs> \u202Eevil';

    const placed = await s.replyTo(await s.slash('/hold', `checkout production ${reason}`, 'U0ALICE'));

    expect(placed.response_type).toBe('in_channel');
    const [message] = s.fake.messages(DEPLOYS);
    const shown = textOf(message ?? { text: '', blocks: [] });
    expect(message?.text).toBe(
      '<@U0ALICE> put checkout production on hold: &lt;!channel&gt; see &lt;http://evil.example|docs&gt; evil',
    );
    expect(shown).toContain('&lt;!channel&gt;');
    expect(shown).not.toMatch(/<!channel>|<http|[\u202a-\u202e\u2066-\u2069]/);
    expect(message?.blocks[0]).toMatchObject({ text: { type: 'mrkdwn', verbatim: true } });
    const home = await homeText(s, 'U0ALICE');
    expect(home).toContain('&lt;!channel&gt; see &lt;http://evil.example|docs&gt; evil');
    expect(home).not.toMatch(/<!channel>|[\u202a-\u202e]/);
  });

  it('keeps a hostile hold reason inert on the gate it closes and in the parent message', async () => {
    const s = await startSlack();
    await s.publish('7.5.0');
    await s.openGate('7.5.0');
    await s.replyTo(await s.slash('/hold', 'checkout production <!here> \u2067<@U0EVE>\u2069 ok', 'U0ALICE'));

    const held = await s.parent('7.5.0', (text) => text.includes(':double_vertical_bar: held'));
    expect(textOf(held)).toContain('&lt;!here&gt; &lt;@U0EVE&gt; ok');
    const closed = await s.gate('7.5.0', (m) => textOf(m).includes('was put on hold'));
    expect(textOf(closed)).toContain('&lt;!here&gt; &lt;@U0EVE&gt; ok');
    const posted = s.fake.callsTo('chat.postMessage');
    expect(posted.length).toBeGreaterThan(0);
    for (const call of posted) expect(call.args).toMatchObject({ parse: 'none', link_names: false });
    for (const m of s.fake.messages()) expect(textOf(m)).not.toMatch(/<!here>|<@U0EVE>|[\u2066-\u2069]/);
  });
});

describe('/rollback', () => {
  it('rolls production back to the version before, with notices in the thread and the alert channel', async () => {
    const s = await startSlack();
    await release(s, '8.0.0');
    await release(s, '8.1.0');

    const question = await askRollback(s, 'checkout bad migration', 'U0ALICE');
    const answer = await s.replyTo(await clickRollback(s, question, 'U0ALICE'));

    expect(answer.response_type).toBe('in_channel');
    expect(answer.body.text).toBe(
      '<@U0ALICE> is rolling back checkout production from 8.1.0 to 8.0.0: bad migration',
    );
    const parent = await s.parent('8.1.0', (text) =>
      text.includes(':leftwards_arrow_with_hook: rolled back'),
    );
    const alert = await s.fake.waitForMessage(
      ONCALL,
      (m) => m.text === 'Rolled back checkout 8.1.0 in production',
    );
    expect(await s.workspace.lines('rollbacks.log')).toEqual(['rollback 8.1.0 -> 8.0.0']);
    expect(textOf(alert)).toContain('Rolled back by hand by <@U0ALICE>: bad migration');
    expect(textOf(alert)).toContain('*Running in production now:* 8.0.0');
    const thread = await waitFor('both rollback notices in the thread', () => {
      const replies = s.fake.thread(DEPLOYS, parent.ts).map((m) => m.text);
      return replies.includes('Rolled back checkout 8.1.0 in production') ? replies : undefined;
    });
    expect(thread.slice(-2)).toEqual([
      'Rolling back checkout 8.1.0 in production',
      'Rolled back checkout 8.1.0 in production',
    ]);
    expect(s.fake.messages(ONCALL).map((m) => m.text)).toEqual([
      'Rolling back checkout 8.1.0 in production',
      'Rolled back checkout 8.1.0 in production',
    ]);
    expect(await homeText(s, 'U0ALICE')).toMatch(/\*production\* 8\.0\.0 `sha256:/);
  });
});

describe('bad slash-command input', () => {
  it('names an unknown version privately', async () => {
    const s = await startSlack();
    await s.publish('9.0.0');
    await s.openGate('9.0.0');

    const reply = await s.ephemeralReply(await s.slash('/promote', 'checkout 9.9.9', 'U0ALICE'));

    expect(reply).toBe(':no_entry: checkout has no published version "9.9.9" (latest: 9.0.0)');
  });

  it('names each of the latest versions once, a forced one too', async () => {
    const s = await startSlack();
    await s.workspace.touch('fail-smoke-9.2.0');
    await s.publish('9.2.0');
    await s.parent('9.2.0', (text) => text.includes(':x: failed'));

    const forced = await s.replyTo(await s.slash('/promote', 'checkout 9.2.0 --force', 'U0CAROL'));
    expect(forced.response_type).toBe('in_channel');
    expect(forced.body.text).toBe('<@U0CAROL> forced checkout 9.2.0 to start again from development');
    const reply = await s.ephemeralReply(await s.slash('/promote', 'checkout 9.9.9', 'U0ALICE'));

    expect(reply).toBe(':no_entry: checkout has no published version "9.9.9" (latest: 9.2.0)');
  });

  it('gets the usage and the known services privately, and changes nothing', async () => {
    const s = await startSlack();
    const id = await s.publish('9.1.0');
    await s.openGate('9.1.0');
    await s.parent('9.1.0', (text) => text.includes('awaiting approval'));
    const before = await s.promotion(id);
    // What the channels show; a late, identical re-edit of the parent (coalesced delivery) changes nothing.
    const shown = () =>
      JSON.stringify(
        s.fake.messages().map(({ channel, ts, text, blocks }) => ({ channel, ts, text, blocks })),
      );
    const messages = shown();
    const garbage = [
      '',
      'nonexistent',
      '; rm -rf /',
      'x'.repeat(5000),
      `checkout ${'reason '.repeat(750)}`,
      'чекаут 🚀 ünïcödé',
      `checkout ${'ünïcödé 🚀 '.repeat(500)}`,
      '<!channel>',
      '&lt;!channel&gt; checkout',
    ];
    const commands = ['/promote', '/hold', '/unhold', '/rollback', '/promotions'];

    for (const command of commands) {
      for (const text of garbage) {
        if (command === '/promotions' && text === '') continue; // lists every promotion: valid
        const reply = await s.ephemeralReply(await s.slash(command, text, 'U0ALICE'));
        const label = `${command} ${text.slice(0, 20)}`;
        expect(reply, label).toMatch(/^:warning: /);
        expect(reply, label).toContain(`*Usage:* \`${command} `);
        expect(reply, label).toContain('*Services:* checkout');
        expect(reply, label).not.toContain('(known:');
        expect(reply, label).not.toContain('<!channel>');
        expect(reply.length, label).toBeLessThan(3000);
      }
    }

    const after = await s.promotion(id);
    expect(after.status).toBe('awaiting_approval');
    expect(after.updatedAt).toBe(before.updatedAt);
    expect(after.events).toEqual(before.events);
    expect(shown()).toBe(messages);
    expect(s.fake.responses.every((r) => r.response_type === 'ephemeral')).toBe(true);
    expect(await homeText(s, 'U0ALICE')).not.toContain('held by');
  });
});
