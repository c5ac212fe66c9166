import type { Logger } from '../../logger.js';
import type { RedisClient } from '../../store/redis-client.js';
import { createLanes } from './lanes.js';
import { slackKeys } from './slack-keys.js';
import { createUnreachableChannels, type UnreachableChannel } from './unreachable-channels.js';

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
      const [channels, outstanding] = await Promise.all([unreachable.list(), lanes.outstanding()]);
      const lanesOf = Object.values(outstanding);
      return channels.map((problem) => ({
        ...problem,
        waiting: lanesOf.filter((lane) => lane === problem.channel).length,
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
