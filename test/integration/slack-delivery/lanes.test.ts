import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Notice } from '../../../src/domain/events.js';
import { createLanes, type Lanes } from '../../../src/slack/notifier/lanes.js';
import { createPacing } from '../../../src/slack/notifier/pacing.js';
import { slackKeys } from '../../../src/slack/notifier/slack-keys.js';
import { createSlackState } from '../../../src/slack/notifier/slack-state.js';
import { createUnreachableChannels, WORKSPACE } from '../../../src/slack/notifier/unreachable-channels.js';
import { connectTestRedis, uniquePrefix } from '../../support/redis.js';

let redis: Redis;
let keys: ReturnType<typeof slackKeys>;
let lanes: Lanes;

const passed: Notice = { kind: 'stage_passed', environment: 'staging' };
const gate: Notice = { kind: 'approval_requested' };

beforeEach(() => {
  redis = connectTestRedis();
  keys = slackKeys(uniquePrefix('lanes'));
  lanes = createLanes(redis, keys);
});

afterEach(async () => {
  await redis.quit();
});

describe('lanes: one per channel', () => {
  it('lets one worker at a time hold a lane, and another take it once the lease runs out', async () => {
    await lanes.enqueue('p1', 'C0DEPLOYS', passed, { urgent: false, delayMs: 0 });
    await lanes.enqueue('p2', 'C0OTHER', passed, { urgent: false, delayMs: 0 });

    const first = await lanes.claim('worker-a', 200);
    const second = await lanes.claim('worker-b', 200);
    expect(new Set([first, second])).toEqual(new Set(['C0DEPLOYS', 'C0OTHER']));
    expect(await lanes.claim('worker-c', 200)).toBeUndefined();

    // worker-a dies holding its lane: it comes due again when the lease lapses.
    await redis.pexpire(keys.lease(first ?? ''), 1);
    await redis.zadd(keys.lanes, Date.now() - 1, first ?? '');
    await expect.poll(() => lanes.claim('worker-c', 200)).toBe(first);
  });

  it('orders a lane’s promotions urgent first, then oldest first, and keeps each promotion’s notices in order', async () => {
    await lanes.enqueue('routine-old', 'C1', passed, { urgent: false, delayMs: 0 });
    await lanes.enqueue('routine-new', 'C1', passed, { urgent: false, delayMs: 0 });
    await lanes.enqueue('gate', 'C1', passed, { urgent: false, delayMs: 0 });
    await lanes.enqueue('gate', 'C1', gate, { urgent: true, delayMs: 0 });

    expect(await lanes.promotionsOf('C1', 10)).toEqual(['gate', 'routine-old', 'routine-new']);
    const state = createSlackState(redis, keys);
    expect((await state.pending('gate')).map((entry) => [entry.seq, entry.notice.kind])).toEqual([
      [1, 'stage_passed'],
      [2, 'approval_requested'],
    ]);
  });

  it('takes a promotion out of its lane only when nothing is pending, and the lane away when it is empty', async () => {
    const state = createSlackState(redis, keys);
    await lanes.enqueue('p1', 'C1', passed, { urgent: false, delayMs: 0 });
    expect(await lanes.settle('C1', 'p1')).toBe(false);
    await state.dropPending('p1', 1);
    expect(await lanes.settle('C1', 'p1')).toBe(true);
    expect(await lanes.outstanding()).toEqual({});

    const owner = 'w';
    await lanes.enqueue('p2', 'C1', passed, { urgent: false, delayMs: 0 });
    expect(await lanes.claim(owner, 5000)).toBe('C1');
    await state.dropPending('p2', 1);
    await lanes.settle('C1', 'p2');
    await lanes.finish('C1', owner, Date.now());
    expect(await redis.zrange(keys.lanes, 0, -1)).toEqual([]);
  });

  it('keeps a lane with work due at the time its holder gives, even when a notice came in meanwhile', async () => {
    await lanes.enqueue('p1', 'C1', passed, { urgent: false, delayMs: 0 });
    expect(await lanes.claim('w', 5000)).toBe('C1');
    const later = Date.now() + 60_000;
    await lanes.finish('C1', 'w', later);
    expect(Number(await redis.zscore(keys.lanes, 'C1'))).toBe(later);
    expect(await lanes.claim('w', 5000)).toBeUndefined();
    await lanes.wakeAll();
    expect(await lanes.claim('w', 5000)).toBe('C1');
  });

  it('makes a lane due no later than the coalescing delay, and sooner when already due sooner', async () => {
    await lanes.enqueue('p1', 'C1', passed, { urgent: false, delayMs: 60_000 });
    expect(await lanes.claim('w', 5000)).toBeUndefined();
    await lanes.enqueue('p1', 'C1', gate, { urgent: true, delayMs: 0 });
    expect(await lanes.claim('w', 5000)).toBe('C1');
  });

  it('sweeps back promotions whose lane entries a lost write dropped', async () => {
    await lanes.enqueue('p1', 'C1', passed, { urgent: false, delayMs: 0 });
    await lanes.enqueue('p2', 'C2', passed, { urgent: false, delayMs: 0 });
    await redis.del(keys.lane('C1'), keys.lanes);

    expect(await lanes.sweep()).toBe(3);
    expect(await lanes.promotionsOf('C1', 10)).toEqual(['p1']);
    expect((await redis.zrange(keys.lanes, 0, -1)).sort()).toEqual(['C1', 'C2']);
    expect(await lanes.sweep()).toBe(0);
  });

  it('keeps a promotion whose parent edit is still owed in its lane, and forgets it once the edit went', async () => {
    await lanes.enqueue('p1', 'C1', passed, { urgent: false, delayMs: 0 });
    // Its notices went out; Slack's budget held back the parent's edit.
    await redis.del(keys.pending('p1'));
    await redis.hset(keys.messages('p1'), 'parentStale', '1');

    await lanes.sweep();
    expect(await lanes.promotionsOf('C1', 10)).toEqual(['p1']);
    expect(await lanes.outstanding()).toEqual({ p1: 'C1' });

    await redis.hdel(keys.messages('p1'), 'parentStale');
    await lanes.sweep();
    expect(await lanes.promotionsOf('C1', 10)).toEqual([]);
    expect(await lanes.outstanding()).toEqual({});
  });
});

describe('pacing: Slack’s limits for every process at once', () => {
  it('gives chat.postMessage one slot a second per channel, other channels unaffected', async () => {
    const pacing = createPacing(redis, keys.tag, 1);
    const post = (channel: string) => pacing.acquire({ method: 'chat.postMessage', channel, urgent: true });
    expect(await post('C1')).toBe(0);
    const wait = await post('C1');
    expect(wait).toBeGreaterThan(900);
    expect(wait).toBeLessThanOrEqual(1050);
    expect(await post('C2')).toBe(0);
  });

  it('keeps routine chat.update calls out of the part of the minute kept for urgent ones', async () => {
    const pacing = createPacing(redis, keys.tag, 1);
    const update = (urgent: boolean) => pacing.acquire({ method: 'chat.update', channel: 'C1', urgent });
    const routine: number[] = [];
    for (let i = 0; i < 36; i++) routine.push(await update(false));
    expect(routine.slice(0, 35).every((wait) => wait === 0)).toBe(true);
    expect(routine[35]).toBeGreaterThan(50_000);
    const urgent: number[] = [];
    for (let i = 0; i < 11; i++) urgent.push(await update(true));
    expect(urgent.slice(0, 10).every((wait) => wait === 0)).toBe(true);
    expect(urgent[10]).toBeGreaterThan(50_000);
  });

  it('holds every call of a method for as long as Slack’s Retry-After said', async () => {
    const pacing = createPacing(redis, keys.tag, 1);
    await pacing.pause('chat.update', undefined, 20_000);
    const wait = await pacing.acquire({ method: 'chat.update', channel: 'C9', urgent: true });
    expect(wait).toBeGreaterThan(19_000);
    expect(await pacing.acquire({ method: 'conversations.info', channel: 'C9', urgent: true })).toBe(0);
  });
});

describe('unreachable channels', () => {
  it('are marked once, tried by one caller per interval, and cleared when the bot can post again', async () => {
    const unreachable = createUnreachableChannels(redis, keys, 60_000);
    expect(await unreachable.mayTry('C1')).toBe(true);
    expect(await unreachable.mark('C1', 'not_in_channel')).toBe(true);
    expect(await unreachable.mark('C1', 'not_in_channel')).toBe(false);
    expect(await unreachable.mayTry('C1')).toBe(false);
    expect(await unreachable.list()).toEqual([
      expect.objectContaining({ channel: 'C1', code: 'not_in_channel' }),
    ]);

    // Its retry time comes: exactly one of two callers gets to try.
    await redis.hset(
      keys.unreachable,
      'C1',
      JSON.stringify({ code: 'not_in_channel', since: new Date().toISOString(), retryAt: Date.now() - 1 }),
    );
    const tries = await Promise.all([unreachable.mayTry('C1'), unreachable.mayTry('C1')]);
    expect(tries.filter(Boolean)).toHaveLength(1);

    expect(await unreachable.clear('C1')).toBe(true);
    expect(await unreachable.mayTry('C1')).toBe(true);
    expect(await unreachable.mayTry(WORKSPACE)).toBe(true);
  });
});

describe('a promotion’s delivery state', () => {
  it('keeps its expiry when a failure is counted after retention removed it (the count made it anew)', async () => {
    const state = createSlackState(redis, keys);
    expect(await state.count('p-removed', 'failures')).toBe(1);
    expect(await state.count('p-removed', 'failures')).toBe(2);
    expect(await redis.ttl(keys.messages('p-removed'))).toBeGreaterThan(0);
  });
});
