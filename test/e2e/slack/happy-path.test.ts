import { describe, expect, it } from 'vitest';
import { buttonsOf, textOf } from '../../support/fake-slack/index.js';
import { waitFor } from '../../support/wait-for.js';
import { DEPLOYS, type SlackHarness, slackHarnessPerTest } from './slack-harness.js';

// The three-environment happy path, seen from Slack: one parent message edited in place, stage details in its
// thread, the gate with confirmed buttons, an approval click, the release.

const startSlack = slackHarnessPerTest();

describe('a promotion watched and approved in Slack', () => {
  it('edits one parent message in place, threads the stage details, and releases on an approve click', async () => {
    // The production default: notices within 300 ms go out together.
    const slack = await startSlack({ coalesceMs: 300 });
    const { fake } = slack;
    const id = await slack.publish('1.0.0');

    const gate = await slack.openGate('1.0.0');
    const gated = await slack.parent('1.0.0', (text) => text.includes('awaiting approval'));
    expect(textOf(gated)).toContain('sha256:aaaaaaaaaaaa');
    expect(textOf(gated)).toContain('abc1234');
    expect(textOf(gate)).toContain('Approve checkout 1.0.0 for production?');
    expect(textOf(gate)).toContain('*Passed in staging:* `deploy`');
    expect(textOf(gate)).toContain('`acceptance`');
    const buttons = buttonsOf(gate);
    expect(buttons.map((b) => [b.actionId, b.value])).toEqual([
      ['promotion.approve', id],
      ['promotion.reject', id],
    ]);
    const elements = gate.blocks.flatMap((block) => block.elements ?? []);
    for (const button of elements.filter((element) => element.type === 'button')) {
      expect(button.confirm).toMatchObject({
        title: { type: 'plain_text' },
        confirm: { type: 'plain_text' },
        deny: { type: 'plain_text', text: 'Cancel' },
      });
    }

    const click = await slack.click('approve', gate, 'U0CAROL');
    expect(click.http.status).toBe(200);

    const released = await slack.parent('1.0.0', (text) => text.includes(':rocket: released'));
    // The same message went from the gate through the rollout to the release: edited, never posted again.
    const edits = fake
      .callsTo('chat.update')
      .filter((call) => call.args.ts === released.ts)
      .map((call) => String(call.args.text));
    expect(released.ts).toBe(gated.ts);
    expect(edits.at(-1)).toContain('released in production');
    expect(released.edits).toBe(edits.length);
    const decided = await slack.gate('1.0.0', (m) => textOf(m).includes('*Approved* by <@U0CAROL>'));
    expect(buttonsOf(decided)).toEqual([]);
    expect(textOf(released)).toContain(':white_check_mark: production');
    expect(fake.messages(DEPLOYS)).toHaveLength(2);
    const thread = await slackThread(slack, released.ts, 3);
    expect(thread.map((reply) => reply.text)).toEqual([
      'checkout 1.0.0 passed in development',
      'checkout 1.0.0 passed in staging',
      'checkout 1.0.0 passed in production',
    ]);
    expect(textOf(thread[0] ?? { blocks: [] })).toMatch(/:white_check_mark: \*deploy\* passed \d+\.\ds/);
    expect(textOf(thread[0] ?? { blocks: [] })).toMatch(/\*smoke\* passed \d+\.\ds/);
    expect(textOf(thread[2] ?? { blocks: [] })).toMatch(/\*canary 10%\* passed/);
    expect(fake.ephemerals()).toEqual([]);
    expect(fake.messages('C0ONCALL')).toEqual([]);

    // The Web API calls of the whole happy path: auth.test once (Bolt checks its token at start), five posts
    // (parent, three stage details, gate), the gate's one edit, and one edit of the parent per batch of notices
    // (how many depends on where the 300 ms coalescing windows fall: 3 to 6 in practice).
    const byMethod = countByMethod(fake.calls);
    expect(Object.keys(byMethod).sort()).toEqual([
      'auth.test',
      'chat.postMessage',
      'chat.update',
      'conversations.info',
    ]);
    expect(byMethod['auth.test']).toBe(1);
    // At start, one look at each configured channel (its channel and its alert channel).
    expect(byMethod['conversations.info']).toBe(2);
    expect(byMethod['chat.postMessage']).toBe(5);
    expect(fake.callsTo('chat.update').filter((call) => call.args.ts === decided.ts)).toHaveLength(1);
    expect(edits.length).toBeGreaterThanOrEqual(1);
    expect(byMethod['chat.update']).toBe(edits.length + 1);
    expect(fake.calls.every((call) => call.ok)).toBe(true);
    expect(fake.blockErrors).toEqual([]);
  });
});

function slackThread(harness: SlackHarness, ts: string, count: number) {
  return waitFor(`${count} replies in the thread`, () => {
    const replies = harness.fake.thread(DEPLOYS, ts);
    return replies.length >= count ? replies : undefined;
  });
}

function countByMethod(calls: readonly { method: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) counts[call.method] = (counts[call.method] ?? 0) + 1;
  return counts;
}
