import type { Notice } from '../../domain/events.js';
import { luaScript } from '../../store/lua-script.js';
import type { RedisClient } from '../../store/redis-client.js';
import type { SlackKeys } from './slack-keys.js';

// Each channel is its own lane: a worker takes one lane at a time (a lease in Redis), delivers while Slack lets
// it, and gives the lane back with the time it may run again. Waiting for a channel's slot therefore never
// occupies a worker, and a flood in one channel leaves the other lanes to the other workers. A killed worker's
// lease runs out and the lane comes due again.

/** Score of a promotion in its lane: urgent (gate, failure, rollback) first, then the order they came in. */
const ROUTINE = 1e13;

// KEYS: messages, pending, lane, outstanding, lanes, lease, wake
// ARGV: promotion id, lane, notice json, urgent, now, due at
const ENQUEUE = luaScript(
  'lanes_enqueue',
  `
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('EXPIRE', KEYS[1], 2592000)
redis.call('RPUSH', KEYS[2], '{"seq":' .. seq .. ',"notice":' .. ARGV[3] .. '}')
local score = tonumber(ARGV[5])
if ARGV[4] ~= '1' then score = score + ${ROUTINE} end
local current = redis.call('ZSCORE', KEYS[3], ARGV[1])
if (not current) or score < tonumber(current) then redis.call('ZADD', KEYS[3], score, ARGV[1]) end
redis.call('HSET', KEYS[4], ARGV[1], ARGV[2])
local due = redis.call('ZSCORE', KEYS[5], ARGV[2])
if (not due) or tonumber(ARGV[6]) < tonumber(due) then redis.call('ZADD', KEYS[5], ARGV[6], ARGV[2]) end
-- A worker holds the lane: it gives it back with its own next time, which must not push this notice back.
if redis.call('EXISTS', KEYS[6]) == 1 then redis.call('SET', KEYS[7], ARGV[6], 'PX', 600000) end
return seq
`,
  7,
);

// KEYS: lanes   ARGV: now, owner, lease ms, lease key prefix, wake key prefix -> a lane leased to owner, or false
const CLAIM = luaScript(
  'lanes_claim',
  `
local now = tonumber(ARGV[1])
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 32)
for _, lane in ipairs(due) do
  local lease = ARGV[4] .. lane
  if redis.call('SET', lease, ARGV[2], 'NX', 'PX', ARGV[3]) then
    redis.call('DEL', ARGV[5] .. lane)
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), lane)
    return lane
  end
  local left = redis.call('PTTL', lease)
  if left > 0 then redis.call('ZADD', KEYS[1], now + left, lane) end
end
return false
`,
  1,
);

// KEYS: lease, lanes   ARGV: owner, lease ms, lane, now
const RENEW = luaScript(
  'lanes_renew',
  `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], tonumber(ARGV[4]) + tonumber(ARGV[2]), ARGV[3])
return 1
`,
  2,
);

// KEYS: lease, lane, lanes, wake   ARGV: owner, lane name, next run at -> 1 if the lane still has work
const FINISH = luaScript(
  'lanes_finish',
  `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
local woken = redis.call('GET', KEYS[4])
redis.call('DEL', KEYS[4])
if redis.call('ZCARD', KEYS[2]) == 0 then
  redis.call('ZREM', KEYS[3], ARGV[2])
  return 0
end
local nextAt = tonumber(ARGV[3])
if woken and tonumber(woken) < nextAt then nextAt = tonumber(woken) end
redis.call('ZADD', KEYS[3], nextAt, ARGV[2])
return 1
`,
  4,
);

// A promotion whose notices all went out may still owe its parent message an edit (Slack's budget said wait):
// it keeps its place in the lane until that edit goes, or the parent would show a stale status for good.
/** Lua: nothing is pending and no parent edit is owed (`pending` and `messages` are key expressions). */
const nothingOwed = (pending: string, messages: string) =>
  `redis.call('LLEN', ${pending}) == 0 and redis.call('HEXISTS', ${messages}, 'parentStale') == 0`;

// KEYS: pending, lane, outstanding, messages   ARGV: promotion id -> 1 when it had nothing left and left its lane
const SETTLE = luaScript(
  'lanes_settle',
  `
if not (${nothingOwed('KEYS[1]', 'KEYS[4]')}) then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return 1
`,
  4,
);

// KEYS: outstanding, lanes   ARGV: now, key prefixes (pending, lane, messages) -> promotions put back in a lane
const SWEEP = luaScript(
  'lanes_sweep',
  `
local now = tonumber(ARGV[1])
local entries = redis.call('HGETALL', KEYS[1])
local repaired = 0
for i = 1, #entries, 2 do
  local id, lane = entries[i], entries[i + 1]
  if ${nothingOwed('ARGV[2] .. id', 'ARGV[4] .. id')} then
    redis.call('HDEL', KEYS[1], id)
    redis.call('ZREM', ARGV[3] .. lane, id)
  else
    if not redis.call('ZSCORE', ARGV[3] .. lane, id) then
      redis.call('ZADD', ARGV[3] .. lane, now + ${ROUTINE}, id)
      repaired = repaired + 1
    end
    if not redis.call('ZSCORE', KEYS[2], lane) then
      redis.call('ZADD', KEYS[2], now, lane)
      repaired = repaired + 1
    end
  end
end
return repaired
`,
  2,
);

export type PendingNotice = { readonly seq: number; readonly notice: Notice };

export function createLanes(redis: RedisClient, keys: SlackKeys) {
  return {
    /** Records a notice for delivery and makes its lane due after `delayMs` (sooner if already due). */
    async enqueue(
      promotionId: string,
      lane: string,
      notice: Notice,
      options: { urgent: boolean; delayMs: number },
    ): Promise<number> {
      const now = Date.now();
      return Number(
        await ENQUEUE(
          redis,
          keys.messages(promotionId),
          keys.pending(promotionId),
          keys.lane(lane),
          keys.outstanding,
          keys.lanes,
          keys.lease(lane),
          keys.wake(lane),
          promotionId,
          lane,
          JSON.stringify(notice),
          options.urgent ? '1' : '0',
          String(now),
          String(now + options.delayMs),
        ),
      );
    },
    async claim(owner: string, leaseMs: number): Promise<string | undefined> {
      const lane = await CLAIM(
        redis,
        keys.lanes,
        String(Date.now()),
        owner,
        String(leaseMs),
        keys.lease(''),
        keys.wake(''),
      );
      return typeof lane === 'string' ? lane : undefined;
    },
    async renew(lane: string, owner: string, leaseMs: number): Promise<boolean> {
      const renewed = await RENEW(
        redis,
        keys.lease(lane),
        keys.lanes,
        owner,
        String(leaseMs),
        lane,
        String(Date.now()),
      );
      return renewed === 1;
    },
    /** Gives the lane back; it runs again at `nextAt` if it still has work. */
    async finish(lane: string, owner: string, nextAt: number): Promise<void> {
      await FINISH(
        redis,
        keys.lease(lane),
        keys.lane(lane),
        keys.lanes,
        keys.wake(lane),
        owner,
        lane,
        String(Math.ceil(nextAt)),
      );
    },
    /** The lane's promotions in delivery order. */
    async promotionsOf(lane: string, limit: number): Promise<string[]> {
      return redis.zrange(keys.lane(lane), 0, limit - 1);
    },
    /**
     * Takes the promotion out of its lane when nothing is left to deliver and no parent edit is owed (atomic with
     * a new notice): a holder that lost its lease may settle while the lane's new holder waits to make that edit.
     */
    async settle(lane: string, promotionId: string): Promise<boolean> {
      const settled = await SETTLE(
        redis,
        keys.pending(promotionId),
        keys.lane(lane),
        keys.outstanding,
        keys.messages(promotionId),
        promotionId,
      );
      return settled === 1;
    },
    /** Every lane with work runs now: after an invite or once Slack accepts the token again. */
    async wakeAll(): Promise<void> {
      const lanes = await redis.zrange(keys.lanes, 0, -1);
      const now = Date.now();
      if (lanes.length > 0) await redis.zadd(keys.lanes, 'LT', ...lanes.flatMap((lane) => [now, lane]));
    },
    /** Milliseconds until the next lane is due (a cap when none is). */
    async nextDueIn(capMs: number): Promise<number> {
      const [, score] = await redis.zrange(keys.lanes, 0, 0, 'WITHSCORES');
      if (score === undefined) return capMs;
      return Math.max(0, Math.min(capMs, Number(score) - Date.now()));
    },
    /**
     * Puts back in their lanes any promotions with pending notices (or a parent edit owed) that a lost write
     * left out, and forgets the ones with nothing left.
     */
    async sweep(): Promise<number> {
      return Number(
        await SWEEP(
          redis,
          keys.outstanding,
          keys.lanes,
          String(Date.now()),
          keys.pending(''),
          keys.lane(''),
          keys.messages(''),
        ),
      );
    },
    /** Promotion id -> lane, for every promotion with something still to deliver. */
    async outstanding(): Promise<Record<string, string>> {
      return redis.hgetall(keys.outstanding);
    },
  };
}

export type Lanes = ReturnType<typeof createLanes>;
