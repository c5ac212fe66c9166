// The Slack delivery under attack: each `it` is a way to break it that an adversarial review found (and that
// failed until it was fixed), kept as a regression test.
// Real Redis, the strict Slack stand-in over HTTP, the real @slack/web-api client. A "crash" is simulated by a Redis
// client that stops answering (every later command hangs forever) right after a chosen command went out: the
// process is frozen at exactly that await, as if killed there; another delivery then takes the promotion over.
import { WebClient } from '@slack/web-api';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Notice } from '../../../src/domain/events.js';
import type { Pipeline, Service } from '../../../src/domain/pipeline.js';
import type { Promotion } from '../../../src/domain/promotion.js';
import type { EnvironmentStore, PromotionStore } from '../../../src/engine/ports.js';
import { createLogger } from '../../../src/logger.js';
import { checkChannels } from '../../../src/slack/notifier/channel-check.js';
import { createDeliveryStatus } from '../../../src/slack/notifier/delivery-status.js';
import { callWindowKey } from '../../../src/slack/notifier/pacing.js';
import {
  createSlackDelivery,
  type DeliveryOptions,
  type SlackClient,
} from '../../../src/slack/notifier/slack-delivery.js';
import { classifySlackFailure } from '../../../src/slack/notifier/slack-failure.js';
import { slackKeys } from '../../../src/slack/notifier/slack-keys.js';
import { startSlackDeliveryWorker } from '../../../src/slack/notifier/slack-notifier.js';
import type { RedisClient } from '../../../src/store/redis-client.js';
import {
  type FakeSlack,
  type FakeSlackOptions,
  manifestBotScopes,
  type StoredMessage,
  startFakeSlack,
} from '../../support/fake-slack/index.js';
import { aService } from '../../support/pipeline-builder.js';
import { connectTestRedis, uniquePrefix } from '../../support/redis.js';
import { aPromotion } from '../../unit/slack/promotions.js';

const DEPLOYS = 'C0DEPLOYS';
const ONCALL = 'C0ONCALL';
const BILLING = 'C0BILLING';

const passedDev: Notice = { kind: 'stage_passed', environment: 'development' };
const passedStaging: Notice = { kind: 'stage_passed', environment: 'staging' };
const gate: Notice = { kind: 'approval_requested' };

const checkout = aService(); // C0DEPLOYS, alerts in C0ONCALL
const billing: Service = { ...aService({ name: 'billing', channel: BILLING }) };
const pipeline: Pipeline = {
  services: new Map([
    [checkout.name, checkout],
    [billing.name, billing],
  ]),
};

const log = createLogger({ level: 'silent' });

let redis: Redis;
let prefix: string;
let fake: FakeSlack;
let web: WebClient;
const store = new Map<string, Promotion>();
const promotions = {
  get: async (id: string) => {
    const promotion = store.get(id);
    return promotion ? { promotion, revision: 1 } : undefined;
  },
} as unknown as PromotionStore;
const environments = { current: async () => undefined } as unknown as EnvironmentStore;
const closers: Array<() => Promise<unknown>> = [];

async function startSlack(options: FakeSlackOptions = {}) {
  fake = await startFakeSlack({
    channels: [
      { id: DEPLOYS, name: 'deploys' },
      { id: ONCALL, name: 'oncall' },
      { id: BILLING, name: 'billing' },
    ],
    postsPerSecondPerChannel: 1000,
    postBurst: 1000,
    ...options,
  });
  // As main.ts builds it: no retries or waits inside a call.
  web = new WebClient('xoxb-test-token', {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 15_000,
  });
}

beforeEach(() => {
  redis = connectTestRedis();
  prefix = uniquePrefix('attack');
  store.clear();
});

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await fake?.close();
  await redis.quit();
});

function addPromotion(id: string, service = 'checkout'): Promotion {
  const promotion = aPromotion({ id, artifact: { service, version: `1.0.${store.size}` } });
  store.set(id, promotion);
  return promotion;
}

function deliveryWith(client: RedisClient, slack: SlackClient = web, options: Partial<DeliveryOptions> = {}) {
  return createSlackDelivery({
    redis: client,
    prefix,
    client: slack,
    pipeline,
    promotions,
    environments,
    log,
    postsPerSecondPerChannel: 200,
    options: { retryDelayMs: 50, maxRetryDelayMs: 200, unreachableRetryMs: 600_000, ...options },
  });
}

function startWorker(delivery: ReturnType<typeof deliveryWith>) {
  const worker = startSlackDeliveryWorker({ delivery, log, concurrency: 1, leaseMs: 5000, pollMs: 20 });
  closers.push(() => worker.close());
  return worker;
}

/** A Redis client that freezes for good (every later command hangs) right after a command `when` accepts. */
function crashable(target: Redis) {
  let dead = false;
  let when: ((command: string, args: unknown[]) => boolean) | undefined;
  const proxy = new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      // A script first used after the crash was never defined: calling it hangs like every other command.
      if (dead && value === undefined) return () => new Promise(() => undefined);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (dead) return new Promise(() => undefined);
        const result = (value as (...a: unknown[]) => unknown).apply(object, args);
        if (when?.(String(property), args)) dead = true;
        return result;
      };
    },
  });
  return {
    redis: proxy as Redis,
    crashAfter(predicate: (command: string, args: unknown[]) => boolean) {
      when = predicate;
    },
    /** Dies now: nothing after this point reaches Redis. */
    kill() {
      dead = true;
    },
    isDead: () => dead,
  };
}

function metadataOf(message: StoredMessage): { promotion_id?: string; key?: string } {
  return (message.metadata?.event_payload ?? {}) as { promotion_id?: string; key?: string };
}

function topLevelOf(channel: string, promotionId: string, keyPrefix: string): StoredMessage[] {
  return fake
    .messages(channel)
    .filter((m) => metadataOf(m).promotion_id === promotionId && metadataOf(m).key?.startsWith(keyPrefix));
}

/** Drives a promotion in the doomed process (again after each 'later') until the process dies. */
async function runUntilCrash(
  delivery: ReturnType<typeof deliveryWith>,
  id: string,
  crash: ReturnType<typeof crashable>,
) {
  let busy = false;
  await expect
    .poll(
      () => {
        if (!crash.isDead() && !busy) {
          busy = true;
          void delivery.advance(id).finally(() => {
            busy = false;
          });
        }
        return crash.isDead();
      },
      { timeout: 5000, interval: 20 },
    )
    .toBe(true);
}

/** Drives one promotion until everything pending went out. */
async function deliverUntilDone(delivery: ReturnType<typeof deliveryWith>, id: string) {
  await expect
    .poll(async () => (await delivery.advance(id)).kind, { timeout: 5000, interval: 30 })
    .toBe('done');
}

describe('a crash between Slack taking a post and the post being recorded', () => {
  beforeEach(() => startSlack());

  it('does not post the parent message twice when killed after Slack took it, before parentTs is saved', async () => {
    addPromotion('p-parent');
    const crash = crashable(redis);
    const first = deliveryWith(crash.redis);
    await first.lanes.enqueue('p-parent', DEPLOYS, passedDev, { urgent: false, delayMs: 0 });
    // Slack takes the parent; the process dies before anything after the answer reaches Redis.
    const stop = fake.onCall((call) => {
      if (call.method === 'chat.postMessage' && call.ok && call.args.thread_ts === undefined) crash.kill();
    });
    closers.push(async () => stop());
    await runUntilCrash(first, 'p-parent', crash);
    expect(topLevelOf(DEPLOYS, 'p-parent', 'parent.')).toHaveLength(1);

    // The dead process's lane lease runs out; another process delivers the promotion.
    await deliverUntilDone(deliveryWith(redis), 'p-parent');

    expect(topLevelOf(DEPLOYS, 'p-parent', 'parent.')).toHaveLength(1);
  });

  it('does not post a second live-looking gate when killed after gateTs is saved but before headSent', async () => {
    addPromotion('p-gate');
    const crash = crashable(redis);
    const first = deliveryWith(crash.redis);
    await first.lanes.enqueue('p-gate', DEPLOYS, gate, { urgent: true, delayMs: 0 });
    // Slack takes the gate; the process dies before gateTs or headSent reaches Redis.
    const stop = fake.onCall((call) => {
      if (
        call.method === 'chat.postMessage' &&
        call.ok &&
        String(call.args.text).includes('production approval')
      )
        crash.kill();
    });
    closers.push(async () => stop());
    await runUntilCrash(first, 'p-gate', crash);
    expect(topLevelOf(DEPLOYS, 'p-gate', 'gate.')).toHaveLength(1);

    await deliverUntilDone(deliveryWith(redis), 'p-gate');

    // Two gate messages with Approve/Reject buttons in the channel: the duplicate the issue forbids.
    expect(topLevelOf(DEPLOYS, 'p-gate', 'gate.')).toHaveLength(1);
  });

  it('does not reply twice in the thread when killed after Slack took the reply, before it is recorded', async () => {
    addPromotion('p-drop');
    const crash = crashable(redis);
    const first = deliveryWith(crash.redis);
    await first.lanes.enqueue('p-drop', DEPLOYS, passedDev, { urgent: false, delayMs: 0 });
    const stop = fake.onCall((call) => {
      if (call.method === 'chat.postMessage' && call.ok && call.args.thread_ts !== undefined) crash.kill();
    });
    closers.push(async () => stop());
    await runUntilCrash(first, 'p-drop', crash);
    const [parent] = topLevelOf(DEPLOYS, 'p-drop', 'parent.');
    expect(fake.thread(DEPLOYS, parent?.ts ?? '')).toHaveLength(1);

    await deliverUntilDone(deliveryWith(redis), 'p-drop');

    expect(fake.thread(DEPLOYS, parent?.ts ?? '')).toHaveLength(1);
  });
});

describe('a message Slack refuses for good', () => {
  beforeEach(() => startSlack());

  it('is dropped once; it does not hold its channel’s lane and get posted again every 5 s', async () => {
    addPromotion('p-bad');
    addPromotion('p-good');
    // Slack refuses p-bad's parent message for good (invalid_blocks: the stand-in's own Block Kit validation).
    const refusing: SlackClient = {
      chat: {
        postMessage: ((args: Parameters<WebClient['chat']['postMessage']>[0]) => {
          const payload = (args as { metadata?: { event_payload?: { promotion_id?: string } } }).metadata
            ?.event_payload;
          return web.chat.postMessage(
            payload?.promotion_id === 'p-bad'
              ? ({ ...args, blocks: [{ type: 'no-such-block' }] } as typeof args)
              : args,
          );
        }) as WebClient['chat']['postMessage'],
        update: web.chat.update.bind(web.chat),
      },
      conversations: web.conversations,
      filesUploadV2: web.filesUploadV2.bind(web),
    };
    const delivery = deliveryWith(redis, refusing);
    await delivery.lanes.enqueue('p-bad', DEPLOYS, passedDev, { urgent: false, delayMs: 0 });
    await delivery.lanes.enqueue('p-good', DEPLOYS, passedDev, { urgent: false, delayMs: 0 });
    startWorker(delivery);

    const refusals = () =>
      fake
        .callsTo('chat.postMessage')
        .filter((c) => c.args.metadata?.event_payload?.promotion_id === 'p-bad');
    await expect.poll(() => refusals().length).toBeGreaterThanOrEqual(1);
    expect(refusals()[0]?.error).toBe('invalid_blocks');

    // p-good is behind p-bad in the same lane: it must go out, and p-bad's refusal must not be retried in a loop.
    await expect.poll(() => topLevelOf(DEPLOYS, 'p-good', 'parent.').length, { timeout: 8000 }).toBe(1);
    expect(refusals()).toHaveLength(1);
  }, 20_000);
});

describe('several pending edits of one gate', () => {
  beforeEach(() => startSlack());

  it('go out as one edit showing where the promotion is now', async () => {
    addPromotion('p-edits');
    const delivery = deliveryWith(redis);
    await delivery.lanes.enqueue('p-edits', DEPLOYS, gate, { urgent: true, delayMs: 0 });
    await deliverUntilDone(delivery, 'p-edits');
    const [posted] = topLevelOf(DEPLOYS, 'p-edits', 'gate.');
    expect(posted).toBeDefined();

    for (const kind of ['approval_recorded', 'approval_recorded', 'superseded'] as const)
      await delivery.lanes.enqueue('p-edits', DEPLOYS, { kind, by: 'U0CAROL' }, { urgent: true, delayMs: 0 });
    await deliverUntilDone(delivery, 'p-edits');

    expect(fake.callsTo('chat.update').filter((call) => call.args.ts === posted?.ts)).toHaveLength(1);
  });
});

describe('the lane given back', () => {
  beforeEach(() => startSlack());

  it('does not push back a gate that came in while the lane was held behind another promotion’s wait', async () => {
    addPromotion('p-routine');
    addPromotion('p-urgent');
    let onUpdate: (() => Promise<void>) | undefined;
    const client: SlackClient = {
      chat: {
        postMessage: web.chat.postMessage.bind(web.chat),
        update: (async (args: Parameters<WebClient['chat']['update']>[0]) => {
          const hook = onUpdate;
          onUpdate = undefined;
          await hook?.();
          return web.chat.update(args);
        }) as WebClient['chat']['update'],
      },
      conversations: web.conversations,
      filesUploadV2: web.filesUploadV2.bind(web),
    };
    const delivery = deliveryWith(redis, client);
    startWorker(delivery);
    await delivery.lanes.enqueue('p-routine', DEPLOYS, passedDev, { urgent: false, delayMs: 0 });
    await expect.poll(async () => delivery.lanes.outstanding()).toEqual({});

    // p-routine's next notice edits its parent (chat.update): while that call is out, p-urgent reaches its gate,
    // and Slack answers the edit with a 429 (Retry-After 30 s) — a pause of chat.update only.
    fake.failNext('chat.update', 1, { ratelimit: 30 });
    onUpdate = async () => {
      await delivery.lanes.enqueue('p-urgent', DEPLOYS, gate, { urgent: true, delayMs: 0 });
    };
    await delivery.lanes.enqueue('p-routine', DEPLOYS, passedStaging, { urgent: false, delayMs: 0 });
    await fake.waitForCall('chat.update', (call) => call.status === 429);

    // The gate needs only chat.postMessage, which nothing paused: it must not wait out chat.update's 30 s.
    await expect.poll(() => topLevelOf(DEPLOYS, 'p-urgent', 'gate.').length, { timeout: 5000 }).toBe(1);
  }, 20_000);

  it('reaches a promotion beyond the first 100 of its lane when those all wait on an alert channel', async () => {
    const delivery = deliveryWith(redis);
    // The bot is not in the alert channel (as checkChannels records at start); each failure notice waits there.
    await delivery.unreachable.mark(ONCALL, 'not_in_channel');
    for (let i = 0; i < 100; i++) {
      addPromotion(`p-failed-${i}`);
      await delivery.lanes.enqueue(
        `p-failed-${i}`,
        DEPLOYS,
        { kind: 'stage_failed' },
        { urgent: true, delayMs: 0 },
      );
    }
    addPromotion('p-gate');
    await delivery.lanes.enqueue('p-gate', DEPLOYS, gate, { urgent: true, delayMs: 0 });
    startWorker(delivery);

    // All 100 get their parent in #deploys and then wait for #oncall, as they should…
    await expect
      .poll(() => fake.messages(DEPLOYS).filter((m) => metadataOf(m).key?.startsWith('parent.')).length, {
        timeout: 15_000,
      })
      .toBeGreaterThanOrEqual(100);
    // …but the gate of the 101st, whose channel the bot is in, must go out too.
    await expect.poll(() => topLevelOf(DEPLOYS, 'p-gate', 'gate.').length, { timeout: 5000 }).toBe(1);
  }, 40_000);
});

describe('a lane holder that lost its lease', () => {
  beforeEach(() => startSlack());

  it('does not take a promotion out of its lane while the parent edit another holder owes still waits', async () => {
    addPromotion('p-stale');
    const stalled = deliveryWith(redis);
    await stalled.lanes.enqueue('p-stale', DEPLOYS, passedDev, { urgent: false, delayMs: 0 });
    await deliverUntilDone(stalled, 'p-stale');
    const [parent] = topLevelOf(DEPLOYS, 'p-stale', 'parent.');

    // This holder finds nothing owed, then stalls (a long pause, Redis out of reach) before it settles the
    // promotion: its lease runs out. Another process takes the lane and delivers the next notice, whose parent
    // edit the routine minute of chat.update holds back.
    expect((await stalled.advance('p-stale')).kind).toBe('done');
    const window = callWindowKey(slackKeys(prefix).tag, 'chat.update');
    const now = Date.now();
    await redis.zadd(window, ...Array.from({ length: 35 }, (_, i) => [now, `earlier-${i}`]).flat());
    const other = deliveryWith(redis);
    await other.lanes.enqueue('p-stale', DEPLOYS, passedStaging, { urgent: false, delayMs: 0 });
    expect((await other.advance('p-stale')).kind).toBe('later');
    // The stalled holder comes back and settles, as it was about to.
    await stalled.lanes.settle(DEPLOYS, 'p-stale');
    await other.lanes.sweep();

    // The minute has room again: the owed edit goes out.
    await redis.del(window);
    startWorker(other);
    await expect
      .poll(
        () => fake.callsTo('chat.update').filter((call) => call.ok && call.args.ts === parent?.ts).length,
        {
          timeout: 5000,
        },
      )
      .toBe(1);
  });
});

describe('a parent edit that can no longer be made', () => {
  beforeEach(() => startSlack());

  /** p's notices went out, and its parent's edit waits for the routine minute of chat.update. */
  async function owingItsParentEdit(delivery: ReturnType<typeof deliveryWith>, id: string) {
    addPromotion(id);
    await delivery.lanes.enqueue(id, DEPLOYS, passedDev, { urgent: false, delayMs: 0 });
    await deliverUntilDone(delivery, id);
    const window = callWindowKey(slackKeys(prefix).tag, 'chat.update');
    const now = Date.now();
    await redis.zadd(window, ...Array.from({ length: 35 }, (_, i) => [now, `earlier-${i}`]).flat());
    await delivery.lanes.enqueue(id, DEPLOYS, passedStaging, { urgent: false, delayMs: 0 });
    expect((await delivery.advance(id)).kind).toBe('later');
    await redis.del(window);
    const [parent] = topLevelOf(DEPLOYS, id, 'parent.');
    return parent;
  }

  it('lets the promotion leave its lane once the promotion is gone, rather than run it for ever', async () => {
    const delivery = deliveryWith(redis);
    await owingItsParentEdit(delivery, 'p-gone');
    store.delete('p-gone');

    startWorker(delivery);

    await expect.poll(() => delivery.lanes.outstanding(), { timeout: 5000 }).toEqual({});
    expect(await delivery.lanes.promotionsOf(DEPLOYS, 10)).toEqual([]);
  });

  it('lets the promotion leave its lane once Slack refuses for good the parent posted again', async () => {
    const delivery = deliveryWith(redis);
    const parent = await owingItsParentEdit(delivery, 'p-refused');
    if (!parent) throw new Error('no parent message');
    fake.deleteMessage(DEPLOYS, parent.ts);
    // Refused every time (its blocks, say): trying again would only be refused again, as fast as Slack answers.
    fake.failNext('chat.postMessage', 1000, { error: 'invalid_blocks' });

    startWorker(delivery);

    await expect.poll(() => delivery.lanes.outstanding(), { timeout: 5000 }).toEqual({});
    expect(await delivery.lanes.promotionsOf(DEPLOYS, 10)).toEqual([]);
  });
});

describe('a permission one method lacks', () => {
  // An installation made before this change lacks the new channels:history scope until someone reinstalls it.
  beforeEach(() =>
    startSlack({ scopes: manifestBotScopes().filter((scope) => scope !== 'channels:history') }),
  );

  it('does not stop delivery in every channel of the workspace', async () => {
    addPromotion('p-deploys');
    addPromotion('p-billing', 'billing');
    const delivery = deliveryWith(redis);
    startWorker(delivery);
    // One lost answer: the post is retried, so delivery first looks in the history (missing_scope)…
    fake.failNext('chat.postMessage', 1, { status: 500 });
    await delivery.lanes.enqueue('p-deploys', DEPLOYS, passedDev, { urgent: false, delayMs: 0 });
    await fake.waitForCall('conversations.history', (call) => call.error === 'missing_scope');

    // …and a gate in another channel, through a method the app has every scope for, must still go out.
    await delivery.lanes.enqueue('p-billing', BILLING, gate, { urgent: true, delayMs: 0 });
    await expect.poll(() => topLevelOf(BILLING, 'p-billing', 'gate.').length, { timeout: 5000 }).toBe(1);
  }, 20_000);
});

describe('channels no longer in the pipeline', () => {
  beforeEach(() => startSlack());

  it('are not shown as unreachable forever in App Home and /promotions', async () => {
    const delivery = deliveryWith(redis);
    // Yesterday's pipeline had a channel the bot was never invited to; it was since removed from the pipeline.
    await delivery.unreachable.mark('C0RETIRED', 'not_in_channel');
    await checkChannels({
      client: web,
      pipeline,
      unreachable: delivery.unreachable,
      lanes: delivery.lanes,
      log,
    });
    const status = createDeliveryStatus(redis, prefix, log);
    expect((await status.problems()).map((problem) => problem.channel)).not.toContain('C0RETIRED');
  });
});

describe('the chart upload’s own HTTP step', () => {
  beforeEach(() => startSlack());

  it('failing with a 4xx is not taken for a token Slack refuses for every call', async () => {
    // filesUploadV2 POSTs the bytes to the upload URL itself; a 4xx there (an expired URL, a file too large)
    // surfaces as slack_webapi_http_error, which slack-failure.ts:214 classifies as workspace-blocked: every
    // channel's delivery then stops (slack-delivery.ts:176-182) over one chart.
    fake.failNext('upload', 1, { status: 413 });
    const error = await web
      .filesUploadV2({ channel_id: ONCALL, file: Buffer.from('png'), filename: 'rollback-metric.png' })
      .then(
        () => undefined,
        (failure: unknown) => failure,
      );
    expect(error).toBeDefined();
    expect(classifySlackFailure(error, 'files.getUploadURLExternal').kind).not.toBe('workspace-blocked');
  });
});
