import type { FakeChannel } from '@promotion-bot/standin/web-api';

/** The channels test/support's pipelines post in (testPipeline, servicesPipeline, noopPipeline): the bot in each. */
export const TEST_CHANNELS: readonly FakeChannel[] = [
  { id: 'C0DEPLOYS', name: 'deploys' },
  { id: 'C0ONCALL', name: 'oncall' },
];
