// The parent message says how far the promotion got; its thread says what happened at each stage. Delivery edits
// the parent to the promotion as it is when it reads it, which may be newer than the notices it took: a stage
// that passed meanwhile. The parent's edit then waits for that stage's reply, so a parent that says "awaiting
// approval" does not sit above a thread that lacks staging's reply.
// Real Redis, the strict Slack stand-in over HTTP, the real @slack/web-api client.
import { WebClient } from '@slack/web-api';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Notice } from '../../../src/domain/events.js';
import type { Pipeline } from '../../../src/domain/pipeline.js';
import type { Promotion } from '../../../src/domain/promotion.js';
import type { EnvironmentStore, PromotionStore } from '../../../src/engine/ports.js';
import { createLogger } from '../../../src/logger.js';
import { createSlackDelivery } from '../../../src/slack/notifier/slack-delivery.js';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack/index.js';
import { aService } from '../../support/pipeline-builder.js';
import { connectTestRedis, uniquePrefix } from '../../support/redis.js';
import { aPromotion, atGate } from '../../unit/slack/promotions.js';

const DEPLOYS = 'C0DEPLOYS';
const checkout = aService();
const pipeline: Pipeline = { services: new Map([[checkout.name, checkout]]) };
const passedDev: Notice = { kind: 'stage_passed', environment: 'development' };
const passedStaging: Notice = { kind: 'stage_passed', environment: 'staging' };

let redis: Redis;
let fake: FakeSlack;
let current: Promotion;
/** Runs when delivery reads the promotion: a commit landing between its read of the notices and of the promotion. */
let onRead: (() => Promise<void>) | undefined;

const promotions = {
  get: async () => {
    const land = onRead;
    onRead = undefined;
    await land?.();
    return { promotion: current, revision: 1 };
  },
} as unknown as PromotionStore;
const environments = { current: async () => undefined } as unknown as EnvironmentStore;

beforeEach(async () => {
  redis = connectTestRedis();
  fake = await startFakeSlack({
    channels: [
      { id: DEPLOYS, name: 'deploys' },
      { id: 'C0ONCALL', name: 'oncall' },
    ],
    postsPerSecondPerChannel: 1000,
    postBurst: 1000,
  });
});

afterEach(async () => {
  await fake.close();
  await redis.quit();
});

describe('a stage that passes while delivery is reading the promotion', () => {
  it('has its reply in the thread before the parent says the promotion got past it', async () => {
    const web = new WebClient('xoxb-test-token', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    const delivery = createSlackDelivery({
      redis,
      prefix: uniquePrefix('parent-after-thread'),
      client: web,
      pipeline,
      promotions,
      environments,
      log: createLogger({ level: 'silent' }),
      postsPerSecondPerChannel: 200,
    });
    const id = 'p-thread';
    current = aPromotion({ id });
    const enqueue = (notice: Notice) =>
      delivery.lanes.enqueue(id, DEPLOYS, notice, { urgent: false, delayMs: 0 });
    await enqueue(passedDev);
    const deliverUntilDone = () =>
      expect
        .poll(async () => (await delivery.advance(id)).kind, { timeout: 5000, interval: 30 })
        .toBe('done');
    await deliverUntilDone();
    const before = fake.calls.length;

    // Staging's tests pass, and the promotion reaches the gate, between the two reads.
    await enqueue({ kind: 'stage_started', environment: 'staging' });
    onRead = async () => {
      current = atGate({ id });
      await enqueue(passedStaging);
    };
    await deliverUntilDone();

    const after = fake.calls.slice(before).filter((call) => call.ok);
    const reply = after.findIndex((call) => String(call.args.text).includes('passed in staging'));
    const gateEdit = after.findIndex(
      (call) => call.method === 'chat.update' && String(call.args.text).includes('awaiting approval'),
    );
    expect(reply).toBeGreaterThanOrEqual(0);
    expect(gateEdit).toBeGreaterThan(reply);
    expect(after.filter((call) => call.method === 'chat.update')).toHaveLength(1);
  });
});
