// 7. Permanent-error episodes: the Web API calls the bot makes while Slack answers it with an error that retrying
// cannot fix, over BENCH_EPISODE_MINUTES (default 10). Two at once, each in its own channel:
// (a) not_in_channel: the bot was never invited to the service's channel; at the end it is, and the held-back gate
//     must then appear;
// (b) message_not_found: the promotion's parent message is deleted, and the promotion moves on (approved at its
//     gate, deployed, released), so its messages need edits.
import { performance } from 'node:perf_hooks';
import {
  buttonsOf,
  dmChannelOf,
  type FakeChannel,
  type FakeSlack,
  type RecordedCall,
  type StoredMessage,
  startFakeSlack,
  textOf,
} from '../test/support/fake-slack/index.js';
import { sendBlockAction } from '../test/support/slack-requests.js';
import { nextDigest } from '../test/support/test-bot.js';
import { waitFor } from '../test/support/wait-for.js';
import { createWorkspace } from '../test/support/workspace.js';
import { type BenchBot, publishOverHttp, startBenchBot } from './bot.js';
import { BOT_TOKEN, benchSlackEnv, SIGNING_SECRET } from './bot-process.js';
import type { BenchContext } from './context.js';
import { APPROVER, gatedPipeline } from './pipelines.js';
import type { BenchmarkResult, Row } from './report.js';
import { hasGateButtons, mentions, promotionStatus, sleep, waitForStatus, watchGate } from './slack-watch.js';
import { maxInWindow, round } from './stats.js';

const MINUTES = Math.max(0.25, Number(process.env.BENCH_EPISODE_MINUTES ?? '10'));
const EPISODE_MS = Math.round(MINUTES * 60_000);
/** How long after the invite the held-back gate may take to appear before it counts as not delivered. */
const INVITE_WAIT_MS = 90_000;
/** The orphaned promotion waits at its gate this long after its parent is deleted, then is approved. */
const APPROVE_AFTER_MS = Math.min(60_000, Math.round(EPISODE_MS / 4));
const MINUTE_MS = 60_000;
/** "Bounded, no more than a few a minute": every method together, in any 60 s window. */
const PER_MINUTE_TARGET = 10;
const NOT_IN = 'C0NOTIN';
const GONE = 'C0GONE';
const ABSENT = 'absent';
const ORPHAN = 'orphan';

/** Both episodes at once, the wait after the invite, start-up and shut-down: the backstop in bench/run.ts. */
export const EPISODES_BUDGET_MS = EPISODE_MS + INVITE_WAIT_MS + 120_000;

export async function episodes(ctx: BenchContext): Promise<BenchmarkResult> {
  const started = performance.now();
  const workspace = await createWorkspace();
  const channels: FakeChannel[] = [
    { id: NOT_IN, name: 'absent-deploys', isMember: false },
    { id: GONE, name: 'orphan-deploys' },
    // Direct messages to the people in the pipeline, in case the bot writes to them.
    ...['U0ALICE', APPROVER].map((user) => ({ id: dmChannelOf(user), name: user.toLowerCase() })),
  ];
  const fake: FakeSlack = await startFakeSlack({ postsPerSecondPerChannel: 1, channels });
  let bot: BenchBot | undefined;
  try {
    const file = await workspace.writePipeline(
      gatedPipeline([
        { name: ABSENT, channel: NOT_IN },
        { name: ORPHAN, channel: GONE },
      ]),
    );
    bot = await startBenchBot({
      redisUrl: ctx.redisUrl,
      prefix: 'bench-episodes',
      pipelineFile: file,
      env: {
        ...benchSlackEnv(fake.apiUrl, 1),
      },
    });
    const url = bot.url;
    const eventsUrl = `${url}/slack/events`;
    fake.deliverEventsTo({ url: eventsUrl, signingSecret: SIGNING_SECRET });
    // Whatever the bot does when it starts (auth.test, channel checks) comes before either episode.
    await quietFor(fake, () => true, 2000, 30_000);

    // (a) starts when its promotion is published into the channel the bot is not in.
    const absentStart = Date.now();
    const absentId = await publishOverHttp(url, { service: ABSENT, version: '1.0.0', digest: nextDigest() });
    const absentAtGate = waitForStatus(url, absentId, 'awaiting_approval', EPISODE_MS);

    // (b) starts when the parent message of a promotion waiting at its gate is deleted.
    const orphanId = await publishOverHttp(url, { service: ORPHAN, version: '1.0.0', digest: nextDigest() });
    const gate = await fake.waitForMessage(
      GONE,
      (m) => hasGateButtons(m) && mentions(textOf(m), ORPHAN),
      60_000,
    );
    await quietFor(fake, (call) => call.args.channel === GONE, 2000, 30_000);
    const parent = parentOf(fake, gate);
    const deleteAt = Date.now();
    await deleteMessage(fake, GONE, parent.ts);
    const ownDelete = fake.calls.find(
      (call) => call.method === 'chat.delete' && call.args.ts === parent.ts && call.at >= deleteAt,
    );
    const orphanStart = Date.now();

    const approval = (async () => {
      await sleep(APPROVE_AFTER_MS);
      const current = fake.message(GONE, gate.ts) ?? gate;
      const approve = buttonsOf(current).find((b) => /approve/i.test(`${b.actionId} ${b.text}`));
      if (!approve) throw new Error('the gate has no Approve button');
      const clickedAt = Date.now();
      const click = await sendBlockAction(eventsUrl, SIGNING_SECRET, {
        actionId: approve.actionId,
        value: approve.value ?? '',
        userId: APPROVER,
        channelId: GONE,
        messageTs: current.ts,
        responseUrl: fake.responseUrl(undefined, { channel: GONE, messageTs: current.ts, userId: APPROVER }),
        triggerId: fake.triggerId(APPROVER),
        message: current,
      });
      if (click.status !== 200) throw new Error(`the approve click answered ${click.status}`);
      const released = await waitForStatus(url, orphanId, 'released', orphanStart + EPISODE_MS - Date.now());
      return { clickedAt, released };
    })();

    const invite = (async () => {
      await sleep(absentStart + EPISODE_MS - Date.now());
      const statusAtInvite = (await promotionStatus(url, absentId)).status;
      const held = watchGate(fake, NOT_IN, ABSENT);
      const invitedAt = Date.now();
      // Slack sends the app member_joined_channel when someone invites the bot: the stand-in does the same.
      const joined = await fake.inviteBot(NOT_IN, 'U0ALICE');
      const appeared = await held.within(INVITE_WAIT_MS);
      held.stop();
      return { invitedAt, statusAtInvite, joinedStatus: joined?.status ?? 0, appeared };
    })();

    const [approved, invited] = await Promise.all([
      approval,
      invite,
      sleep(orphanStart + EPISODE_MS - Date.now()),
    ]);
    const reachedGate = await absentAtGate;
    const absentEnd = absentStart + EPISODE_MS;
    const orphanEnd = orphanStart + EPISODE_MS;
    const inWindow = (call: RecordedCall, from: number, to: number) =>
      call !== ownDelete &&
      call.method !== 'response_url' &&
      call.method !== 'upload' &&
      call.at >= from &&
      call.at < to;
    const absentCalls = fake.calls.filter(
      (c) => inWindow(c, absentStart, absentEnd) && c.args.channel === NOT_IN,
    );
    const orphanCalls = fake.calls.filter(
      (c) => inWindow(c, orphanStart, orphanEnd) && c.args.channel === GONE,
    );
    const otherCalls = fake.calls.filter(
      (c) => inWindow(c, absentStart, orphanEnd) && c.args.channel !== NOT_IN && c.args.channel !== GONE,
    );
    const reposted = fake
      .messages(GONE)
      .filter(
        (m) =>
          m.ts !== parent.ts &&
          (m.thread_ts === undefined || m.thread_ts === m.ts) &&
          !hasGateButtons(m) &&
          mentions(textOf(m), ORPHAN),
      ).length;
    const absent = summarize(absentCalls, absentStart);
    const orphan = summarize(orphanCalls, orphanStart);
    const after = (at: number | undefined, from: number) =>
      at === undefined ? 'never' : `+${round((at - from) / 1000, 1)} s`;
    const rows: Row[] = [
      {
        measure: `(a) not_in_channel: Web API calls into ${NOT_IN} over ${round(MINUTES, 2)} min with the bot not in it (max in any 60 s; total)`,
        result: absent.text,
        baseline: `promotion at its gate (API) ${after(reachedGate, absentStart)}; status at the invite: ${invited.statusAtInvite}`,
        target: `≤ ${PER_MINUTE_TARGET} in any 60 s`,
        pass: absent.maxPerMinute <= PER_MINUTE_TARGET,
      },
      {
        measure: `(a) after the invite (inviteBot: a signed member_joined_channel): the held-back gate in ${NOT_IN}`,
        result:
          invited.appeared === undefined
            ? `not within ${INVITE_WAIT_MS / 1000} s`
            : `${round((invited.appeared - invited.invitedAt) / 1000, 1)} s after the invite`,
        baseline: `member_joined_channel answered ${invited.joinedStatus}`,
        target: `delivered, ≤ ${INVITE_WAIT_MS / 1000} s`,
        pass: invited.appeared !== undefined,
      },
      {
        measure: `(b) message_not_found: Web API calls into ${GONE} over ${round(MINUTES, 2)} min after the parent message was deleted (max in any 60 s; total)`,
        result: orphan.text,
        baseline: `approved at ${after(approved.clickedAt, orphanStart)}, released (API) ${after(approved.released, orphanStart)}; ${reposted} new parent message(s) naming ${ORPHAN} (not replies)`,
        target: `≤ ${PER_MINUTE_TARGET} in any 60 s`,
        pass: orphan.maxPerMinute <= PER_MINUTE_TARGET,
      },
      {
        measure: 'other Web API calls during the episodes (no episode channel)',
        result: otherCalls.length === 0 ? 'none' : summarize(otherCalls, absentStart).text,
      },
    ];
    return {
      name: '7. Permanent-error episodes',
      rows,
      notes: [
        `Two services, each development (\`./deploy.sh\`) then production behind a gate, each in its own channel, one bot in this process (SLACK_POSTS_PER_SECOND=1, production timings) and the Slack stand-in with a channels list (postsPerSecondPerChannel 1): ${NOT_IN} with \`isMember: false\` (Slack answers \`not_in_channel\`), ${GONE} a normal channel. Both episodes run at once for BENCH_EPISODE_MINUTES (${round(MINUTES, 2)} min here).`,
        `(a) starts when \`${ABSENT}\` is published (POST /api/artifacts) and ends ${round(MINUTES, 2)} min later, when the bot is invited (the stand-in sends the signed \`member_joined_channel\` event to /slack/events, as Slack does); then the gate (a message naming the service with Approve and Reject buttons) has ${INVITE_WAIT_MS / 1000} s to appear.`,
        `(b) \`${ORPHAN}\` is published, its gate appears in ${GONE}, and once ${GONE} has been quiet for 2 s its parent (the first top-level message naming it without buttons) is deleted with \`chat.delete\` and the bot token through the stand-in's Web API (that call is not counted). The episode runs from then; ${round(APPROVE_AFTER_MS / 1000, 0)} s in, the gate is approved with a signed block_actions click, so the promotion deploys production and its messages need edits.`,
        'Counted: every Web API request whose `channel` is the episode\'s, in its window, answered or failed, 429s included ("ok" are those Slack accepted); response_url posts are not Web API calls. "max/60 s" is the most in any sliding 60 s; "per minute" are the counts in each minute from the episode\'s start.',
      ],
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await bot?.shutdown();
    await fake.close();
    await workspace.remove();
  }
}

/** Resolves once no call `counts` accepts has arrived for `quietMs`. */
async function quietFor(
  fake: FakeSlack,
  counts: (call: RecordedCall) => boolean,
  quietMs: number,
  timeoutMs: number,
): Promise<void> {
  await waitFor(
    'Slack calls to stop',
    () => Date.now() - (fake.calls.findLast(counts)?.at ?? 0) >= quietMs,
    timeoutMs,
  ).catch(() => undefined);
}

/** The promotion's parent: the first top-level message naming it without gate buttons (else the first one). */
function parentOf(fake: FakeSlack, gate: StoredMessage): StoredMessage {
  const top = fake.messages(GONE);
  const parent = top.find((m) => !hasGateButtons(m) && mentions(textOf(m), ORPHAN)) ?? top[0];
  if (!parent) throw new Error(`no message in ${GONE}`);
  return parent.ts === gate.ts && top.length > 1 ? (top.find((m) => m.ts !== gate.ts) ?? parent) : parent;
}

/** chat.delete with the bot token, through the stand-in's Web API, the way a person deleting it would be seen. */
async function deleteMessage(fake: FakeSlack, channel: string, ts: string): Promise<void> {
  const response = await fetch(`${fake.apiUrl}chat.delete`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${BOT_TOKEN}`,
      'content-type': 'application/json; charset=utf-8',
    },
    body: JSON.stringify({ channel, ts }),
  });
  const body = (await response.json()) as { ok?: boolean; error?: string };
  if (!body.ok) throw new Error(`chat.delete ${channel} ${ts}: ${body.error ?? response.status}`);
}

/** Calls per method: total, accepted, errors, most in any 60 s, and the count in each minute from `from`. */
function summarize(calls: readonly RecordedCall[], from: number): { text: string; maxPerMinute: number } {
  const maxPerMinute = maxInWindow(
    calls.map((c) => c.at),
    MINUTE_MS,
  );
  const perMinute = (list: readonly RecordedCall[]) => {
    const counts: number[] = [];
    for (const call of list) {
      const minute = Math.floor((call.at - from) / MINUTE_MS);
      while (counts.length <= minute) counts.push(0);
      counts[minute] = (counts[minute] ?? 0) + 1;
    }
    return counts;
  };
  const byMethod = new Map<string, RecordedCall[]>();
  for (const call of calls) byMethod.set(call.method, [...(byMethod.get(call.method) ?? []), call]);
  const methods = [...byMethod]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([method, list]) => {
      const errors = new Map<string, number>();
      for (const call of list.filter((c) => !c.ok)) {
        const error = call.error ?? String(call.status);
        errors.set(error, (errors.get(error) ?? 0) + 1);
      }
      const failed = [...errors].map(([error, n]) => `${n} ${error}`).join(', ');
      return `${method} ${list.length} (max ${maxInWindow(
        list.map((c) => c.at),
        MINUTE_MS,
      )}/60 s; ${list.filter((c) => c.ok).length} ok${failed ? `, ${failed}` : ''})`;
    });
  const text =
    calls.length === 0
      ? 'no calls'
      : `max ${maxPerMinute}/60 s, total ${calls.length}; per minute ${perMinute(calls).join(', ')}; ${methods.join('; ')}`;
  return { text, maxPerMinute };
}
