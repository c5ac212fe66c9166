import { luaScript } from '../../store/lua-script.js';
import type { RedisClient } from '../../store/redis-client.js';
import type { SlackKeys } from './slack-keys.js';

// A removed promotion's Slack state: where its messages are, the notices it never delivered, and its place in its
// channel's lane. All in the delivery slot, built from the key prefixes as the lanes' sweep does.
// KEYS: outstanding   ARGV: messages prefix, pending prefix, lane prefix, then the promotion ids
const FORGET = luaScript(
  'slack_retention_forget',
  `
for i = 4, #ARGV do
  local id = ARGV[i]
  local lane = redis.call('HGET', KEYS[1], id)
  if lane then
    redis.call('ZREM', ARGV[3] .. lane, id)
    redis.call('HDEL', KEYS[1], id)
  end
  redis.call('DEL', ARGV[1] .. id, ARGV[2] .. id)
end
return #ARGV - 3
`,
  1,
);

/** Deletes the Slack state of promotions that retention removed; deleting it twice changes nothing. */
export function createSlackRetention(redis: RedisClient, keys: SlackKeys) {
  return async function forgetSlackState(promotionIds: readonly string[]): Promise<void> {
    if (promotionIds.length === 0) return;
    await FORGET(
      redis,
      keys.outstanding,
      keys.messages(''),
      keys.pending(''),
      keys.lane(''),
      ...promotionIds,
    );
  };
}
