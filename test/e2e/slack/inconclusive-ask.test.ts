import { describe, expect, it } from 'vitest';
import { buttonsOf, type StoredMessage, textOf } from '../../support/fake-slack/index.js';
import { ONCALL, type SlackHarness, slackHarnessPerTest } from './slack-harness.js';

// `onInconclusive: ask` end to end: checks without data put a question to the approvers in the alert channel;
// Continue lets the rollout go on, Roll back rolls back, a stranger is refused privately, and no answer in time
// rolls back.

const startSlack = slackHarnessPerTest();

function asking() {
  return startSlack({
    pipeline: {
      onInconclusive: 'ask',
      monitorInterval: '1s',
      inconclusiveLimit: 3,
      firstPause: '20s',
    },
  });
}

async function question(
  s: SlackHarness,
  predicate: (m: StoredMessage) => boolean = (m) => buttonsOf(m).length === 2,
) {
  return s.fake.waitForMessage(
    ONCALL,
    (m) => m.text.startsWith('Missing data in production') && predicate(m),
    30_000,
  );
}

function clickOn(s: SlackHarness, message: StoredMessage, actionId: string, user: string) {
  return s.clickValue(actionId, buttonsOf(message)[0]?.value ?? '', message, user);
}

async function noDataInProduction(s: SlackHarness, version: string): Promise<string> {
  s.prometheus.noData(version);
  const id = await s.publish(version);
  await s.click('approve', await s.openGate(version), 'U0CAROL');
  return id;
}

describe('when production has no usable data and the monitor says ask', () => {
  it('asks the approvers in the alert channel, and Continue lets the rollout go on to release', async () => {
    const s = await asking();
    const id = await noDataInProduction(s, '6.0.0');

    const asked = await question(s);
    expect(textOf(asked)).toContain('No usable data for checkout 6.0.0 in production');
    expect(textOf(asked)).toContain('<@U0CAROL> <@U0DAVE>: go on without it, or roll back?');
    expect((await s.promotion(id)).status).toBe('running');

    const stranger = await s.ephemeralReply(
      await clickOn(s, asked, 'promotion.inconclusive.continue', 'U0MALLORY'),
    );
    expect(stranger).toBe(':no_entry: only approvers of checkout production may decide this');

    s.prometheus.set('6.0.0', 0);
    await clickOn(s, asked, 'promotion.inconclusive.continue', 'U0DAVE');
    const answered = await question(s, (m) => textOf(m).includes('chose to go on'));
    expect(buttonsOf(answered)).toEqual([]);
    expect(textOf(answered)).toContain('<@U0DAVE> chose to go on');
    await s.parent('6.0.0', (text) => text.includes(':rocket: released'), { timeoutMs: 90_000 });
    const audit = await s.bot.api('GET', `/api/promotions/${id}/events`);
    expect(JSON.stringify(audit.body)).toContain('inconclusiveDecided');
  });

  it('rolls back when an approver says Roll back, and when nobody answers in time', async () => {
    const s = await asking();
    const first = await noDataInProduction(s, '6.1.0');
    await clickOn(s, await question(s), 'promotion.inconclusive.rollback', 'U0CAROL');
    await s.parent('6.1.0', (text) => text.includes('rolled back'), { timeoutMs: 30_000 });
    expect((await s.promotion(first)).phase.cause).toMatchObject({
      kind: 'inconclusive',
      decidedBy: 'U0CAROL',
    });

    const second = await noDataInProduction(s, '6.2.0');
    await question(
      s,
      (m) => textOf(m).includes('checkout 6.2.0') && textOf(m).includes('Nobody answered in time'),
    );
    await s.parent('6.2.0', (text) => text.includes('rolled back'), { timeoutMs: 30_000 });
    expect((await s.promotion(second)).phase.cause).toMatchObject({ kind: 'inconclusive' });
  });
});
