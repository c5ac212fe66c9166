// The pretend workspace of the demo: its people and channels, matching examples/demo/pipeline.yml.
import type { FakeChannel, FakeUser } from '@promotion-bot/standin';

export const DEMO_SERVICE = 'shop';
export const GOOD_VERSION = '1.0.0';
export const BAD_VERSION = '1.1.0';

export const DEMO_USERS: readonly FakeUser[] = [
  { id: 'U0DEMO', name: 'you', realName: 'You (owner, approver)' },
  { id: 'U0ALEX', name: 'alex', realName: 'Alex (approver)' },
  { id: 'U0SAM', name: 'sam', realName: 'Sam (developer)' },
];

export const DEMO_CHANNELS: readonly FakeChannel[] = [
  { id: 'C0DEPLOYS', name: 'deploys' },
  { id: 'C0ALERTS', name: 'deploy-alerts' },
];
