import type { FakeChannel } from '../../../src/standin/web-api/index.js';

/** The channels test/support's pipelines post in (testPipeline, servicesPipeline, noopPipeline): the bot in each. */
export const TEST_CHANNELS: readonly FakeChannel[] = [
  { id: 'C0DEPLOYS', name: 'deploys' },
  { id: 'C0ONCALL', name: 'oncall' },
];
