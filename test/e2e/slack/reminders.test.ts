import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { bullPrefix, type QueueName } from '../../../src/queue/queues.js';
import type { StoredMessage } from '../../support/fake-slack/index.js';
import { textOf } from '../../support/fake-slack/index.js';
import { connectTestRedis } from '../../support/redis.js';
import { waitFor } from '../../support/wait-for.js';
import { DEPLOYS, type SlackHarness, slackHarnessPerTest } from './slack-harness.js';

// Reminders and escalation at the gate, end to end: the approvers who have not decided are mentioned in the gate's
// thread every remindEvery, escalateTo is brought in after escalateAfter, they stop at a decision, and an expiry
// is announced.

const startSlack = slackHarnessPerTest();

function repliesUnder(s: SlackHarness, gate: StoredMessage): StoredMessage[] {
  return s.fake.thread(DEPLOYS, gate.ts);
}

/** Waits until `count` jobs of the bot's `queue` have run, and returns what each answered. */
async function jobsFinished(s: SlackHarness, queue: QueueName, count: number): Promise<string[]> {
  const connection = connectTestRedis();
  const jobs = new Queue(queue, { connection, prefix: bullPrefix(s.bot.prefix) });
  try {
    return await waitFor(
      `${count} ${queue} jobs to finish`,
      async () => {
        const done = await jobs.getCompleted();
        return done.length >= count && done.map((job) => String(job.returnvalue));
      },
      20_000,
    );
  } finally {
    await jobs.close();
    await connection.quit();
  }
}

describe('reminders at the production gate', () => {
  it('mention the approvers who have not decided, bring in escalateTo later, and stop at the decision', async () => {
    const s = await startSlack({
      pipeline: {
        required: 2,
        reminders: { remindEvery: '1s', escalateAfter: '2s', escalateTo: ['U0ALICE'] },
      },
    });
    await s.publish('8.0.0');
    const gate = await s.openGate('8.0.0');
    await s.click('approve', gate, 'U0CAROL');

    const first = await waitFor(
      'the first reminder in the gate’s thread',
      () => repliesUnder(s, gate)[0],
      20_000,
    );
    expect(textOf(first)).toContain(':bell: <@U0DAVE>: checkout 8.0.0 has waited');
    expect(textOf(first)).not.toContain('<@U0CAROL>');
    expect(textOf(first)).not.toContain('Bringing in');
    const second = await waitFor('the second reminder', () => repliesUnder(s, gate)[1], 20_000);
    expect(textOf(second)).toContain(':rotating_light: Bringing in <@U0ALICE>');

    await s.click('approve', await s.openGate('8.0.0'), 'U0DAVE');
    await s.parent('8.0.0', (text) => text.includes(':rocket: released'), { timeoutMs: 20_000 });
    const sent = repliesUnder(s, gate).length;
    // The reminder due after the decision runs and is refused: nothing more is posted.
    const answers = await jobsFinished(s, 'approval-reminder', sent + 1);
    expect(answers.filter((answer) => answer === 'stale')).toHaveLength(1);
    expect(repliesUnder(s, gate)).toHaveLength(sent);
  });

  it('announces an expired request in the gate’s thread, saying how to ask again', async () => {
    const s = await startSlack({ pipeline: { expiresAfter: '2s' } });
    await s.publish('8.1.0');
    const gate = await s.openGate('8.1.0');

    const announced = await waitFor(
      'the expiry in the gate’s thread',
      () => repliesUnder(s, gate)[0],
      20_000,
    );
    expect(textOf(announced)).toContain('the approval request for checkout 8.1.0 expired without a decision');
    expect(textOf(announced)).toContain('`/promote checkout 8.1.0` asks again');
  });
});

describe('a reminder job that a worker picks up before it is due by its own clock', () => {
  it('waits until it is due (another process, whose clock runs ahead, scheduled it)', async () => {
    const s = await startSlack({ pipeline: { expiresAfter: '2h', reminders: { remindEvery: '1h' } } });
    const id = await s.publish('8.2.0');
    const gate = await s.openGate('8.2.0');
    const promotion = await s.promotion(id);
    const connection = connectTestRedis();
    const reminders = new Queue('approval-reminder', { connection, prefix: bullPrefix(s.bot.prefix) });
    const dueAt = Date.now() + 1500;
    try {
      await reminders.add(
        'reminder',
        {
          promotionId: id,
          service: 'checkout',
          requestedAt: promotion.phase.requestedAt,
          reminder: 1,
          dueAt: new Date(dueAt).toISOString(),
        },
        { jobId: `${id}.early-reminder`, delay: 0 },
      );
      const reminder = await waitFor('the reminder', () => repliesUnder(s, gate)[0], 20_000);
      expect(Number(reminder.ts) * 1000).toBeGreaterThanOrEqual(dueAt);
    } finally {
      await reminders.close();
      await connection.quit();
    }
  });
});
