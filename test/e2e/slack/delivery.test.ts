import { describe, expect, it } from 'vitest';
import { buttonsOf, type RecordedCall } from '../../support/fake-slack/index.js';
import { waitFor } from '../../support/wait-for.js';
import { serviceNames, servicesPipeline } from '../../support/workspace.js';
import {
  DEPLOYS,
  isGate,
  isTopLevel,
  ONCALL,
  type SlackHarness,
  slackHarnessPerTest,
} from './slack-harness.js';

// The queued delivery under load and outages: many promotions posting into one channel at Slack's pace, 429s
// and 5xx answers retried until every notice is in, in order per promotion.

const POSTS_PER_SECOND = 10;

const startSlack = slackHarnessPerTest();

async function startServices(count: number): Promise<SlackHarness> {
  return startSlack({ pipelineYaml: servicesPipeline({ count }), postsPerSecond: POSTS_PER_SECOND });
}

/** Every service's parent, its thread and its gate, once all of them are at the gate. */
async function allAtGate(s: SlackHarness, services: readonly string[], version: string) {
  return waitFor(
    `${services.length} promotions to reach the gate in Slack`,
    () => {
      const found = services.map((service) => promotionMessages(s, service, version));
      return found.every(
        (f) =>
          f.parents.length === 1 && f.gates.length === 1 && f.parents[0]?.text.includes('awaiting approval'),
      )
        ? found
        : undefined;
    },
    60_000,
  );
}

function promotionMessages(s: SlackHarness, service: string, version: string) {
  const top = s.fake.messages(DEPLOYS);
  const parents = top.filter((m) => m.text.startsWith(`${service} ${version}: `));
  const gates = top.filter((m) => isGate(m, service, version));
  const thread = parents[0] ? s.fake.thread(DEPLOYS, parents[0].ts) : [];
  return { service, parents, gates, thread };
}

/** The accepted chat.postMessage calls of one promotion, in the order Slack took them. */
function postsOf(calls: readonly RecordedCall[], service: string, version: string): string[] {
  return calls
    .filter((call) => call.method === 'chat.postMessage' && call.ok)
    .filter((call) => String(call.args.text).startsWith(`${service} ${version}`))
    .map((call) => (call.args.thread_ts ? `thread: ${call.args.text}` : String(call.args.text)));
}

/** Which message a post is: a parent is re-rendered when its delivery is retried, so its text may differ. */
function postKey(call: RecordedCall): string {
  const text = String(call.args.text);
  const parent = /^(\S+ \S+): /.exec(text);
  return `${call.args.thread_ts ?? ''}|${parent ? `parent of ${parent[1]}` : text}`;
}

function expectInOrder(found: ReturnType<typeof promotionMessages>, calls: readonly RecordedCall[]) {
  const { service, parents, gates, thread } = found;
  const [parent] = parents;
  const [gate] = gates;
  expect(thread.map((m) => m.text)).toEqual([`${service} 1.0.0 passed in development`]);
  expect(buttonsOf(gate ?? { blocks: [] })).toHaveLength(2);
  expect(postsOf(calls, service, '1.0.0')).toEqual([
    expect.stringMatching(new RegExp(`^${service} 1\\.0\\.0: `)),
    `thread: ${service} 1.0.0 passed in development`,
    `${service} 1.0.0 needs approval for production`,
  ]);
  expect(Number(parent?.ts)).toBeLessThan(Number(thread[0]?.ts));
  expect(Number(thread[0]?.ts)).toBeLessThan(Number(gate?.ts));
}

describe('thirty promotions of thirty services sharing one channel', () => {
  it('all reach the gate at the channel pace, and every message refused with a 429 is sent again', async () => {
    const services = serviceNames(30);
    const s = await startServices(services.length);
    const { fake } = s;
    // A 429 storm for 1.5 s, from the 20th message on.
    let accepted = 0;
    const stop = fake.onCall((call) => {
      if (call.method !== 'chat.postMessage' || !call.ok) return;
      accepted += 1;
      if (accepted === 20) fake.failFor(1500, { ratelimit: 1 });
    });

    await Promise.all(services.map((service) => s.publish('1.0.0', service)));

    const found = await allAtGate(s, services, '1.0.0');
    stop();
    for (const promotion of found) expectInOrder(promotion, fake.calls);
    expect(fake.messages(DEPLOYS).filter(isTopLevel)).toHaveLength(60);
    expect(fake.maxPostsPerSecond(DEPLOYS)).toBeLessThanOrEqual(POSTS_PER_SECOND);
    const refused = fake.callsTo('chat.postMessage').filter((call) => call.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(fake.rateLimited).toBeGreaterThanOrEqual(refused.length);
    const sent = fake.callsTo('chat.postMessage').filter((call) => call.ok);
    expect(sent).toHaveLength(90);
    for (const call of refused) {
      const retried = sent.find((later) => later.at >= call.at && postKey(later) === postKey(call));
      expect(retried, `a retry of "${call.args.text}"`).toBeDefined();
    }
    const metrics = await fetch(`${s.bot.url}/metrics`).then((response) => response.text());
    expect(metrics).toMatch(
      /promotion_bot_slack_api_errors_total\{method="chat.postMessage",error="ratelimited"\} [1-9]/,
    );
  });
});

describe('a Slack outage', () => {
  it('delays the notices but loses none: each promotion gets its messages afterwards, in order', async () => {
    const services = serviceNames(8);
    const s = await startServices(services.length);
    const { fake } = s;
    // Slack answers 503 for 1.5 s, starting right after the first gate is posted.
    const stop = fake.onCall((call) => {
      if (
        call.method === 'chat.postMessage' &&
        call.ok &&
        String(call.args.text).includes('needs approval')
      ) {
        stop();
        fake.failFor(1500, { status: 503 });
      }
    });

    await Promise.all(services.map((service) => s.publish('1.0.0', service)));

    const found = await allAtGate(s, services, '1.0.0');
    expect(fake.calls.filter((call) => call.status === 503).length).toBeGreaterThan(0);
    for (const promotion of found) expectInOrder(promotion, fake.calls);
    expect(fake.messages(DEPLOYS).filter(isTopLevel)).toHaveLength(2 * services.length);
  });

  it('brings the parent message up to date when the outage hit its last edit', async () => {
    const s = await startSlack({ pipeline: { stagingPromote: 'manual' } });
    await s.publish('1.0.0');
    await s.parent('1.0.0', (text) => text.includes(':hourglass_flowing_sand: waiting'));
    // The gate goes out, then the edit of the parent fails, and so does the client's own retry of it.
    const stop = s.fake.onCall((call) => {
      if (
        call.method === 'chat.postMessage' &&
        call.ok &&
        String(call.args.text).includes('needs approval')
      ) {
        stop();
        s.fake.failNext('chat.update', 2, { status: 503 });
      }
    });

    await s.replyTo(await s.slash('/promote', 'checkout 1.0.0', 'U0ALICE'));

    await s.openGate('1.0.0');
    const parent = await s.parent('1.0.0', (text) => text.includes(':raised_hand: awaiting approval'));
    expect(s.fake.callsTo('chat.update').some((call) => call.status === 503)).toBe(true);
    expect(s.fake.messages(DEPLOYS).map((m) => m.text)).toEqual([
      expect.stringMatching(/^checkout 1\.0\.0: awaiting approval/),
      '<@U0ALICE> asked for approval of checkout 1.0.0 for production',
      'checkout 1.0.0 needs approval for production',
    ]);
    expect(s.fake.thread(DEPLOYS, parent.ts).map((m) => m.text)).toEqual([
      'checkout 1.0.0 passed in development',
      'checkout 1.0.0 passed in staging',
    ]);
  });

  it('posts each part of a notice once, when the outage starts between its thread reply and its alert', async () => {
    const s = await startSlack();
    await s.workspace.touch('fail-smoke-1.0.1');
    const stop = s.fake.onCall((call) => {
      if (
        call.method === 'chat.postMessage' &&
        call.ok &&
        call.args.thread_ts &&
        /failed/.test(call.args.text)
      ) {
        stop();
        // The alert after it fails, and so does the client's own retry of it.
        s.fake.failNext('chat.postMessage', 2, { status: 503 });
      }
    });

    await s.publish('1.0.1');

    await s.fake.waitForMessage(ONCALL, (m) => m.text.startsWith('checkout 1.0.1 failed in development'));
    const parent = await s.parent('1.0.1', (text) => text.includes(':x: failed'));
    expect(s.fake.calls.some((call) => call.status === 503)).toBe(true);
    expect(s.fake.messages(ONCALL)).toHaveLength(1);
    expect(s.fake.thread(DEPLOYS, parent.ts).map((m) => m.text)).toEqual([
      'checkout 1.0.1 failed in development at smoke (exit code 1)',
    ]);
  });
});
