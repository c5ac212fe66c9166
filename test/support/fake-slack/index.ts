// A fake Slack Web API for tests: start it, point the bot's SLACK_API_URL at `apiUrl`, read back what happened.
export { startFakeSlack } from './fake-slack.js';
export { type ButtonOf, buttonsOf, textOf } from './message-text.js';
export type {
  BlockError,
  CallListener,
  EphemeralMessage,
  FakeChannel,
  FakeSlack,
  FakeSlackOptions,
  FakeUser,
  Fault,
  FaultTarget,
  Payload,
  RecordedCall,
  RecordedResponse,
  ResponseUrlTarget,
  StoredFileRef,
  StoredMessage,
  StoredView,
  UploadedFile,
} from './types.js';
