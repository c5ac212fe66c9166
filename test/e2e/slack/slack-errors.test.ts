import { describe, expect, it } from 'vitest';
import { buttonsOf, type RecordedCall, type StoredMessage, textOf } from '../../support/fake-slack/index.js';
import { waitForStatus } from '../../support/promotion-api.js';
import { waitFor } from '../../support/wait-for.js';
import {
  DEPLOYS,
  isGate,
  isTopLevel,
  ONCALL,
  PEOPLE,
  type SlackHarness,
  slackHarnessPerTest,
} from './slack-harness.js';

// Slack's permanent errors, through the strict stand-in: a deleted message, a channel the bot is not in, a token
// Slack refuses, a message it refuses for good. None is retried in a loop, and nothing waiting is lost.

const start = slackHarnessPerTest();
const MEMBERS = PEOPLE.map((person) => person.id);

function parentsOf(s: SlackHarness, version: string): StoredMessage[] {
  return s.fake.messages(DEPLOYS).filter((m) => isTopLevel(m) && m.text.startsWith(`checkout ${version}: `));
}

function callsSince(calls: readonly RecordedCall[], at: number, method: string): RecordedCall[] {
  return calls.filter((call) => call.method === method && call.at >= at);
}

describe('a promotion message someone deleted', () => {
  it('is posted again once, and the promotion carries on there; the deleted one is never edited again', async () => {
    const s = await start();
    await s.publish('1.0.0');
    const first = await s.parent('1.0.0');
    s.fake.deleteMessage(DEPLOYS, first.ts);

    const gate = await s.openGate('1.0.0');
    await waitFor(
      'the promotion message posted again',
      () => parentsOf(s, '1.0.0').length === 1 || undefined,
    );
    await s.click('approve', gate, 'U0CAROL');
    const released = await s.parent('1.0.0', (text) => text.includes('released'));

    expect(released.ts).not.toBe(first.ts);
    expect(parentsOf(s, '1.0.0')).toEqual([released]);
    const onDeleted = s.fake.callsTo('chat.update').filter((call) => call.args.ts === first.ts);
    expect(onDeleted.map((call) => call.error)).toEqual(['message_not_found']);
    // The parent shows the promotion as it is when it is edited: production's own reply may come just after.
    await waitFor(
      'production’s reply in the new thread',
      () =>
        s.fake.thread(DEPLOYS, released.ts).some((m) => m.text === 'checkout 1.0.0 passed in production') ||
        undefined,
    );
  });
});

describe('a gate message someone deleted', () => {
  it('is posted again, buttons and all, at its next change; the deleted one is not edited again', async () => {
    const s = await start({ pipeline: { required: 2 } });
    const id = await s.publish('2.0.0');
    const gate = await s.openGate('2.0.0');
    s.fake.deleteMessage(DEPLOYS, gate.ts);

    await s.click('approve', gate, 'U0CAROL');
    const again = await s.gate('2.0.0', (m) => m.ts !== gate.ts && textOf(m).includes('<@U0CAROL>'));
    expect(buttonsOf(again)).toHaveLength(2);
    await s.click('approve', again, 'U0DAVE');
    await waitFor('the release', async () =>
      (await s.promotion(id)).status === 'released' ? true : undefined,
    );
    await s.gate('2.0.0', (m) => m.ts === again.ts && buttonsOf(m).length === 0);

    const onDeleted = s.fake.callsTo('chat.update').filter((call) => call.args.ts === gate.ts);
    expect(onDeleted.map((call) => call.error)).toEqual(['message_not_found']);
    expect(s.fake.messages(DEPLOYS).filter((m) => isGate(m, 'checkout', '2.0.0'))).toEqual([
      s.fake.message(DEPLOYS, again.ts),
    ]);
  });
});

describe('Retry-After on chat.update', () => {
  it('is honoured for the whole method: no edit goes out until Slack said it may', async () => {
    const s = await start({ pipeline: { required: 2 } });
    await s.publish('3.0.0');
    const gate = await s.openGate('3.0.0');
    s.fake.failNext('chat.update', 1, { ratelimit: 3 });

    await s.click('approve', gate, 'U0CAROL');
    const refused = await s.fake.waitForCall('chat.update', (call) => call.status === 429);
    const next = await s.fake.waitForCall('chat.update', (call) => call.at > refused.at && call.ok, 15_000);
    await s.gate('3.0.0', (m) => textOf(m).includes('<@U0CAROL>'), { timeoutMs: 15_000 });

    const between = callsSince(s.fake.calls, refused.at, 'chat.update').filter(
      (call) => call !== refused && call.at < next.at,
    );
    expect(between).toEqual([]);
    expect(next.at - refused.at).toBeGreaterThanOrEqual(3000);
  });
});

describe('a channel the bot is not in', () => {
  const notIn = { id: DEPLOYS, name: 'deploys', members: MEMBERS, isMember: false };
  const oncall = { id: ONCALL, name: 'oncall', members: MEMBERS };

  it('holds its messages in order, says so in App Home, /promotions and /metrics, and sends them when the bot is invited', async () => {
    const s = await start({
      fake: { channels: [notIn, oncall] },
      delivery: { unreachableRetryMs: 600_000 },
    });
    const id = await s.publish('4.0.0');
    await waitForStatus(s.bot.api, id, 'awaiting_approval');

    // Told at start (conversations.info): not one post is tried while nobody has invited the bot.
    expect(s.fake.callsTo('chat.postMessage').filter((call) => call.args.channel === DEPLOYS)).toEqual([]);
    await s.openHome('U0ALICE');
    const home = await waitFor('app home', () => s.fake.homeView('U0ALICE'));
    expect(textOf({ blocks: home.view.blocks })).toContain(
      'the bot is not in <#C0DEPLOYS>: type /invite @promotion-bot there',
    );
    const listed = await s.ephemeralReply(await s.slash('/promotions', '', 'U0ALICE'));
    expect(listed).toContain('1 promotion waiting to be posted');
    const metrics = await fetch(`${s.bot.url}/metrics`).then((response) => response.text());
    expect(metrics).toContain(
      'promotion_bot_slack_channel_unreachable{channel="C0DEPLOYS",error="not_in_channel"} 1',
    );
    expect(metrics).toContain('promotion_bot_slack_waiting_promotions{channel="C0DEPLOYS"} 1');

    const invited = await s.fake.inviteBot(DEPLOYS);
    expect(invited?.status).toBe(200);
    const gate = await s.openGate('4.0.0');
    const parent = await s.parent('4.0.0');
    expect(Number(parent.ts)).toBeLessThan(Number(gate.ts));
    expect(s.fake.thread(DEPLOYS, parent.ts).map((m) => m.text)).toEqual([
      'checkout 4.0.0 passed in development',
      'checkout 4.0.0 passed in staging',
    ]);
    await s.openHome('U0ALICE');
    await waitFor('app home without the mark', () => {
      const view = s.fake.homeView('U0ALICE');
      return view && !textOf({ blocks: view.view.blocks }).includes('Not delivered') ? view : undefined;
    });
  });

  it('is tried again now and then, one call at a time, and its messages go out once it works', async () => {
    const s = await start({ fake: { channels: [notIn, oncall] }, delivery: { unreachableRetryMs: 1000 } });
    const id = await s.publish('5.0.0');
    await waitForStatus(s.bot.api, id, 'awaiting_approval');
    const firstTry = await s.fake.waitForCall(
      'chat.postMessage',
      (call) => call.args.channel === DEPLOYS && call.error === 'not_in_channel',
    );
    // Someone adds the bot without Slack telling it (no event): the next periodic try finds out.
    s.fake.addChannel({ ...notIn, isMember: true });
    await s.openGate('5.0.0');

    const refused = s.fake.callsTo('chat.postMessage').filter((call) => call.error === 'not_in_channel');
    const seconds = (Date.now() - firstTry.at) / 1000;
    expect(refused.length).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
    const gaps = refused.slice(1).map((call, index) => call.at - (refused[index]?.at ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(900);
    // Slack said no each time, so no try had to look in the channel for a post it might have taken.
    expect(s.fake.callsTo('conversations.history')).toEqual([]);
  });

  it('holds only what goes there: the alert channel waits while the service channel goes on', async () => {
    const s = await start({
      fake: {
        channels: [
          { id: DEPLOYS, name: 'deploys', members: MEMBERS },
          { ...oncall, isMember: false },
        ],
      },
      delivery: { unreachableRetryMs: 600_000 },
    });
    await s.workspace.touch('fail-smoke-6.0.0');
    await s.publish('6.0.0');
    await s.parent('6.0.0', (text) => text.includes('failed'));
    expect(s.fake.messages(ONCALL)).toEqual([]);

    await s.fake.inviteBot(ONCALL);
    const notice = await s.fake.waitForMessage(ONCALL, (m) => m.text.includes('checkout 6.0.0 failed'));
    expect(textOf(notice)).toContain('smoke');
  });
});

describe('a token Slack refuses for every call', () => {
  it('stops delivery without a loop, and delivers everything once Slack takes the token again', async () => {
    const s = await start({ delivery: { unreachableRetryMs: 500 } });
    s.fake.failFor(3000, { error: 'invalid_auth' }, 'chat.postMessage');
    const since = Date.now();
    await s.publish('7.0.0');

    const gate = await s.openGate('7.0.0');
    const refused = callsSince(s.fake.calls, since, 'chat.postMessage').filter(
      (c) => c.error === 'invalid_auth',
    );
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.length).toBeLessThanOrEqual(8);
    expect(buttonsOf(gate)).toHaveLength(2);
    expect(parentsOf(s, '7.0.0')).toHaveLength(1);
  });
});

describe('a message Slack refuses for good', () => {
  it('is dropped after one try, with the promotion’s other messages still delivered', async () => {
    const s = await start();
    await s.publish('8.0.0');
    const parent = await s.parent('8.0.0');
    s.fake.failNext('chat.postMessage', 1, { error: 'invalid_blocks' });

    await s.openGate('8.0.0');
    const refused = s.fake.callsTo('chat.postMessage').filter((call) => call.error === 'invalid_blocks');
    expect(refused).toHaveLength(1);
    const again = s.fake
      .callsTo('chat.postMessage')
      .filter((call) => call.ok && call.args.text === refused[0]?.args.text);
    expect(again).toEqual([]);
    expect(s.fake.thread(DEPLOYS, parent.ts).length).toBe(1);
  });
});
