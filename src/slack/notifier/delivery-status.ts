import type { Logger } from '../../logger.js';
import type { RedisClient } from '../../store/redis-client.js';
import { createLanes } from './lanes.js';
import { slackKeys } from './slack-keys.js';
import { createUnreachableChannels, type UnreachableChannel, WORKSPACE } from './unreachable-channels.js';

export type ChannelProblem = UnreachableChannel & {
  /** Promotions whose messages wait in this channel's lane. */
  readonly waiting: number;
};

/** What App Home, /promotions and /metrics say about delivery, and what the invite event does. */
export type DeliveryStatus = {
  problems(): Promise<ChannelProblem[]>;
  /** The bot was invited into `channel` (member_joined_channel): what waited for it goes out now. */
  botJoined(channel: string): Promise<void>;
};

export function createDeliveryStatus(redis: RedisClient, prefix: string, log: Logger): DeliveryStatus {
  const keys = slackKeys(prefix);
  const lanes = createLanes(redis, keys);
  const unreachable = createUnreachableChannels(redis, keys, 0);
  return {
    async problems() {
      // Almost always none: then what waits in the lanes is not read at all (one round trip, not two).
      const channels = await unreachable.list();
      if (channels.length === 0) return [];
      const outstanding = await lanes.outstanding();
      const ids = Object.keys(outstanding);
      // What each waits on: its own lane's channel, or the alert channel it is blocked on.
      const blockedOn = await Promise.all(ids.map((id) => redis.hget(keys.messages(id), 'blockedOn')));
      return channels.map((problem) => ({
        ...problem,
        waiting: ids.filter(
          (id, index) =>
            blockedOn[index] === problem.channel ||
            (problem.channel === WORKSPACE ? true : !blockedOn[index] && outstanding[id] === problem.channel),
        ).length,
      }));
    },
    async botJoined(channel) {
      if (!(await unreachable.clear(channel))) return;
      log.info({ channel }, 'promotion-bot was invited; the messages that waited for the channel go out now');
      await lanes.wakeAll();
    },
  };
}

export const NO_DELIVERY_PROBLEMS: DeliveryStatus = {
  problems: async () => [],
  botJoined: async () => undefined,
};
