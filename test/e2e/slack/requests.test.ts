import { describe, expect, it } from 'vitest';
import { buttonsOf, textOf } from '../../support/fake-slack/index.js';
import { waitFor } from '../../support/wait-for.js';
import { slackHarnessPerTest } from './slack-harness.js';

// What reaches the bot at /slack/events: only requests Slack signed, recently; and the App Home it publishes.

const startSlack = slackHarnessPerTest();

describe('a request to /slack/events', () => {
  it('is refused with 401 when signed with the wrong secret or too long ago, and changes nothing', async () => {
    const s = await startSlack();
    const id = await s.publish('1.0.0');
    const gate = await s.openGate('1.0.0');
    const before = await s.promotion(id);
    const wrong = { secret: 'not-the-signing-secret' };
    const stale = { timestamp: Math.floor(Date.now() / 1000) - 600 };

    const refused = [
      await s.click('approve', gate, 'U0CAROL', wrong),
      await s.click('approve', gate, 'U0CAROL', stale),
      await s.click('reject', gate, 'U0DAVE', wrong),
      await s.slash('/hold', 'checkout production freeze', 'U0ALICE', wrong),
      await s.slash('/rollback', 'checkout', 'U0ALICE', stale),
      { http: await s.submitReason(id, 'forged', 'U0DAVE', wrong) },
      { http: await s.submitReason(id, 'replayed', 'U0DAVE', stale) },
      { http: await s.openHome('U0ALICE', wrong) },
      { http: await s.openHome('U0ALICE', stale) },
    ];

    expect(refused.map((request) => request.http.status)).toEqual(Array(refused.length).fill(401));
    const home = await s.openHome('U0DAVE');
    expect(home.status).toBe(200);
    await waitFor('the genuine App Home request to be answered', () => s.fake.homeView('U0DAVE'));
    expect(textOf({ blocks: s.fake.homeView('U0DAVE')?.view.blocks ?? [] })).not.toContain('held by');
    expect(s.fake.homeView('U0ALICE')).toBeUndefined();
    expect(s.fake.responses).toEqual([]);
    expect(s.fake.callsTo('views.open')).toEqual([]);
    const after = await s.promotion(id);
    expect(after.status).toBe('awaiting_approval');
    expect(after.events).toEqual(before.events);
    expect(buttonsOf(s.fake.message(gate.channel, gate.ts) ?? gate)).toHaveLength(2);
  });
});

describe('the App Home tab', () => {
  it('shows the version in each environment, the promotions in flight and the holds', async () => {
    const s = await startSlack();
    await s.publish('1.0.0');
    await s.click('approve', await s.openGate('1.0.0'), 'U0CAROL');
    await s.parent('1.0.0', (t) => t.includes(':rocket: released'));
    await s.publish('1.1.0');
    await s.openGate('1.1.0');
    await s.replyTo(await s.slash('/hold', 'checkout staging load test running', 'U0ALICE'));

    const response = await s.openHome('U0DAVE');

    expect(response.status).toBe(200);
    const published = await s.fake.waitForCall('views.publish', (call) => call.args.user_id === 'U0DAVE');
    expect(published.ok).toBe(true);
    const home = textOf({ blocks: s.fake.homeView('U0DAVE')?.view.blocks ?? [] });
    expect(home).toMatch(/\*development\* 1\.1\.0 `sha256:[0-9a-f]{12}` since /);
    expect(home).toMatch(/\*staging\* 1\.1\.0 `sha256:[0-9a-f]{12}` since /);
    expect(home).toMatch(/\*production\* 1\.0\.0 `sha256:[0-9a-f]{12}` since /);
    expect(home).toContain('*In flight*\n:raised_hand: awaiting approval · 1.1.0 · production');
    expect(home).toMatch(
      /\*Holds\*\n:double_vertical_bar: \*staging\* held by <@U0ALICE> .*: load test running/,
    );
  });
});
