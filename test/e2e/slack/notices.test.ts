import { describe, expect, it } from 'vitest';
import { textOf } from '../../support/fake-slack/index.js';
import { waitFor } from '../../support/wait-for.js';
import { DEPLOYS, ONCALL, slackHarnessPerTest } from './slack-harness.js';

// Failure and rollback notices: what the alert channel and the promotion's thread say when things go wrong.

const startSlack = slackHarnessPerTest();

describe('a failing smoke test', () => {
  it('posts a failure notice with the environment, step, exit code and last output, and details in the thread', async () => {
    const s = await startSlack();
    await s.workspace.touch('fail-smoke-1.0.1');
    await s.publish('1.0.1');

    const notice = await s.fake.waitForMessage(ONCALL, (m) => m.text.startsWith('checkout 1.0.1 failed'));

    expect(notice.text).toBe('checkout 1.0.1 failed in development at smoke: exit code 1');
    const text = textOf(notice);
    expect(text).toContain(':x: *checkout 1.0.1 failed in development* at `smoke`: exit code 1');
    expect(text).toContain(
      '*Last lines of output*\n```\nsmoke: checking 1.0.1\nsmoke: 3 of 12 checks failed\n```',
    );
    const parent = await s.parent('1.0.1', (t) => t.includes(':x: failed'));
    expect(textOf(parent)).toContain('Failed in development at `smoke`.');
    const detail = await waitFor('the failed stage in the thread', () =>
      s.fake.thread(DEPLOYS, parent.ts).find((m) => m.text.includes('failed in development')),
    );
    expect(detail.text).toBe('checkout 1.0.1 failed in development at smoke (exit code 1)');
    expect(textOf(detail)).toMatch(/:x: \*smoke\* failed \d+\.\ds · exit code 1/);
    expect(textOf(detail)).toContain('smoke: 3 of 12 checks failed');
    expect(s.fake.messages(ONCALL)).toHaveLength(1);
  });
});

describe('a release whose error rate breaches its threshold', () => {
  it('is rolled back, and the notices name the metric, its value against the threshold, the checks in a row and the version running now', async () => {
    const s = await startSlack();
    await s.publish('2.0.0');
    await s.click('approve', await s.openGate('2.0.0'), 'U0CAROL');
    await s.parent('2.0.0', (t) => t.includes(':rocket: released'));
    s.prometheus.set('2.1.0', 0.2);
    await s.publish('2.1.0');
    await s.click('approve', await s.openGate('2.1.0'), 'U0DAVE');

    const alert = await s.fake.waitForMessage(
      ONCALL,
      (m) => m.text === 'Rolled back checkout 2.1.0 in production',
    );

    const text = textOf(alert);
    expect(text).toContain(':leftwards_arrow_with_hook: *Rolled back checkout 2.1.0 in production.*');
    expect(text).toContain(
      '*Why:* Metrics breached their thresholds for 2 checks in a row:\n• *error-rate* 0.2 > max 0.01',
    );
    expect(text).toContain('*Where:* breached at canary 10% (step 1 of 3)');
    expect(text).toMatch(/\*Running in production now:\* 2\.0\.0 `sha256:[0-9a-f]{12}`/);
    expect(text).toContain(
      '*Next:* An approver can `/promote checkout 2.1.0 --force`, or publish a fixed version.',
    );
    expect(await s.workspace.lines('rollbacks.log')).toEqual(['rollback 2.1.0 -> 2.0.0']);
    const parent = await s.parent('2.1.0', (t) => t.includes(':leftwards_arrow_with_hook: rolled back'));
    expect(textOf(parent)).toContain(
      'Rolled back from production: *error-rate* 0.2 > max 0.01, 2 checks in a row',
    );
    const inThread = await waitFor('the rollback notices in the thread', () => {
      const replies = s.fake.thread(DEPLOYS, parent.ts).filter((m) => m.text !== '');
      return replies.some((m) => m.text === alert.text) ? replies : undefined;
    });
    expect(inThread.map((m) => m.text).slice(-2)).toEqual([
      'Rolling back checkout 2.1.0 in production',
      'Rolled back checkout 2.1.0 in production',
    ]);
    expect(textOf(inThread.at(-1) ?? alert)).toBe(textOf(alert));
    expect(s.fake.messages(ONCALL).map((m) => m.text)).toEqual([
      'Rolling back checkout 2.1.0 in production',
      'Rolled back checkout 2.1.0 in production',
    ]);

    // The chart of the breaching metric goes under the final notice, through the external upload flow (and into
    // the promotion's thread: rollback-recovery.test.ts).
    const chart = await waitFor('the metric chart under the alert', () =>
      s.fake.files().find((file) => file.completed && file.channel_id === ONCALL),
    );
    expect(chart).toMatchObject({ filename: 'rollback-metric.png', thread_ts: alert.ts });
    expect(chart.content?.subarray(1, 4).toString()).toBe('PNG');
    expect(s.fake.callsTo('files.getUploadURLExternal')).toHaveLength(2);
    expect(s.fake.callsTo('files.completeUploadExternal')).toHaveLength(2);
  });
});
