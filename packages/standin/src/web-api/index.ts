// A stand-in for Slack's Web API (tests and the demo): start it, point the bot's SLACK_API_URL at `apiUrl`, read back
// what happened. It checks every message and view against the Block Kit schema, the way Slack refuses bad ones.
export { manifestBotScopes } from '../manifest-scopes.js';
export { dmChannelOf } from './directory.js';
export { startFakeSlack } from './fake-slack.js';
export { BOT_USER_ID, compareTs } from './message-store.js';
export { type ButtonOf, buttonsOf, textOf } from './message-text.js';
export { METHOD_TIERS, TIER_PER_MINUTE, type Tier } from './rate-limit.js';
export type {
  BlockError,
  CallListener,
  DeliveredEvent,
  EphemeralMessage,
  EventsTarget,
  FakeChannel,
  FakeSlack,
  FakeSlackOptions,
  FakeUser,
  Fault,
  FaultTarget,
  InFlightCall,
  Payload,
  RecordedCall,
  RecordedResponse,
  ResponseUrlTarget,
  StoredFileRef,
  StoredMessage,
  StoredView,
  UploadedFile,
} from './types.js';
