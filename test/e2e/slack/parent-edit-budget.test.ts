import { afterAll, describe, expect, it } from 'vitest';
import { callWindowKey } from '../../../src/slack/notifier/pacing.js';
import { slackKeys } from '../../../src/slack/notifier/slack-keys.js';
import { connectTestRedis } from '../../support/redis.js';
import { submitModal } from './reject-helpers.js';
import { DEPLOYS, isTopLevel, type SlackHarness, slackHarnessPerTest } from './slack-harness.js';

// The parent message's edit when the workspace's minute of routine chat.update calls is used up (35 of Slack's
// 50, the rest kept for what people wait on). The edit waits for room, and waiting must lose nothing: the
// sweeper, which runs every 200 ms here, used to take a promotion out of its lane once its notices were out,
// though its parent's edit was still owed, and the parent kept its old status for good.

const start = slackHarnessPerTest();
const redis = connectTestRedis();
const ROUTINE_UPDATES_PER_MINUTE = 35;

afterAll(async () => {
  await redis.quit();
});

/** Uses up the routine chat.update budget with calls that leave the one-minute window after `freeInMs`. */
async function useUpRoutineEdits(s: SlackHarness, freeInMs: number): Promise<void> {
  const key = callWindowKey(slackKeys(s.bot.prefix).tag, 'chat.update');
  const at = Date.now() - 60_000 + freeInMs;
  const entries = Array.from({ length: ROUTINE_UPDATES_PER_MINUTE }, (_, i) => [at, `earlier-${i}`]);
  await redis.zadd(key, ...entries.flat());
  await redis.pexpire(key, 60_000);
}

function parentEdits(s: SlackHarness, ts: string): string[] {
  return s.fake
    .callsTo('chat.update')
    .filter((call) => call.ok && call.args.ts === ts)
    .map((call) => String(call.args.text));
}

describe('a parent edit Slack’s routine budget holds back', () => {
  it('goes out once the minute has room, however many sweeps run while it waits', async () => {
    const s = await start({ pipeline: { stagingPromote: 'manual' }, delivery: { sweepEveryMs: 200 } });
    await s.workspace.touch('slow-deploy-development-1.0.0');
    await s.publish('1.0.0');
    const posted = await s.parent('1.0.0', (text) => text.includes('running in development'));
    await useUpRoutineEdits(s, 3000);
    await s.workspace.touch('release-development-1.0.0');

    const parent = await s.parent('1.0.0', (text) => text.includes(':hourglass_flowing_sand: waiting'));

    expect(parent.ts).toBe(posted.ts);
    expect(parentEdits(s, parent.ts).at(-1)).toContain('waiting');
    expect(s.fake.messages(DEPLOYS).filter(isTopLevel)).toHaveLength(1);
  });
});

describe('the parent edit that follows a gate’s decision', () => {
  it('is as urgent as the decision: the status line says held at once, not after the routine minute', async () => {
    const s = await start();
    await s.publish('1.0.0');
    const gate = await s.openGate('1.0.0');
    await useUpRoutineEdits(s, 59_000);

    const click = await s.click('reject', gate, 'U0CAROL');
    await submitModal(s, click.triggerId, 'totals are off', 'U0CAROL');

    // Within waitFor's 20 s: a routine edit would wait out the 59 s.
    const parent = await s.parent('1.0.0', (text) => text.includes('held'));
    expect(parentEdits(s, parent.ts).at(-1)).toContain('held');
  });
});
