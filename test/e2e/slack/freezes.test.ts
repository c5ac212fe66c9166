import { describe, expect, it } from 'vitest';
import { buttonsOf, textOf } from '../../support/fake-slack/index.js';
import { waitFor } from '../../support/wait-for.js';
import { DEPLOYS, type SlackHarness, slackHarnessPerTest } from './slack-harness.js';

// Freeze windows end to end: a promotion that reaches a frozen environment is held naming the window and when it
// ends, goes on by itself when the window closes, App Home shows the window, and the gate warns of one that is
// about to open.

const startSlack = slackHarnessPerTest();
const SECOND = 1000;

function fromNow(ms: number): Date {
  return new Date(Date.now() + ms);
}

async function homeText(s: SlackHarness, user: string): Promise<string> {
  const before = s.fake.callsTo('views.publish').length;
  expect((await s.openHome(user)).status).toBe(200);
  await waitFor('App Home to be published', () => s.fake.callsTo('views.publish').length > before);
  return textOf({ blocks: s.fake.homeView(user)?.view.blocks ?? [] });
}

describe('a freeze window on production', () => {
  it('holds a promotion before the gate, naming the window, and asks for approval by itself once it closes', async () => {
    const s = await startSlack({
      pipeline: {
        freezes: [{ name: 'launch-week', from: fromNow(-60 * SECOND), until: fromNow(15 * SECOND) }],
      },
    });
    const id = await s.publish('9.0.0');

    const held = await s.parent('9.0.0', (text) => text.includes(':double_vertical_bar: held'), {
      timeoutMs: 20_000,
    });
    expect(textOf(held)).toContain('Held before production by the freeze window “launch-week” until');
    const promotion = await s.promotion(id);
    expect(promotion.status).toBe('held');
    expect(promotion.phase).toMatchObject({
      kind: 'blocked',
      environment: 2,
      hold: { freeze: 'launch-week' },
    });
    // No approval is asked for while production is frozen.
    expect(s.fake.messages(DEPLOYS).filter((m) => buttonsOf(m).length > 0)).toEqual([]);
    expect(await homeText(s, 'U0ALICE')).toContain('“launch-week” freezes *production* now, until');
    // An owner's /unhold cannot lift a freeze.
    expect(await s.ephemeralReply(await s.slash('/unhold', 'checkout production', 'U0ALICE'))).toMatch(
      /not on hold/,
    );

    // Nobody acts: when the window closes, the gate opens.
    const gate = await s.gate('9.0.0', (m) => buttonsOf(m).length === 2, { timeoutMs: 45_000 });
    await s.click('approve', gate, 'U0CAROL');
    await s.parent('9.0.0', (text) => text.includes(':rocket: released'), { timeoutMs: 20_000 });
  });

  it('freezes only the environments it names: a staging window holds the promotion before staging', async () => {
    const s = await startSlack({
      pipeline: {
        freezes: [
          {
            name: 'load-test',
            from: fromNow(-60 * SECOND),
            until: fromNow(60 * 60 * SECOND),
            environments: ['staging'],
          },
        ],
      },
    });
    const id = await s.publish('9.1.0');

    await s.parent('9.1.0', (text) => text.includes('Held before staging by the freeze window “load-test”'), {
      timeoutMs: 20_000,
    });
    expect((await s.promotion(id)).phase).toMatchObject({ kind: 'blocked', environment: 1 });
    const deploys = await s.workspace.lines('deploys.log');
    expect(deploys.some((line) => line.startsWith('staging'))).toBe(false);
  });

  it('warns on the gate of a window that opens within the rollout, and lists it as the next one in App Home', async () => {
    const s = await startSlack({
      pipeline: {
        freezes: [{ name: 'evening', from: fromNow(55 * SECOND), until: fromNow(3600 * SECOND) }],
      },
    });
    await s.publish('9.2.0');

    const gate = await s.openGate('9.2.0');
    expect(textOf(gate)).toContain(':snowflake: The freeze window “evening” opens');
    expect(textOf(gate)).toContain("within this rollout's expected");
    expect(await homeText(s, 'U0ALICE')).toContain('“evening” freezes *production* from');
  });
});
