// Signed requests into a bot's /slack/events, built the way Slack builds them (tests and the demo's stand-in).
export {
  type BlockActionInput,
  blockActionPayload,
  sendBlockAction,
  sendInteraction,
} from './block-action.js';
export {
  appHomeOpenedEvent,
  eventEnvelope,
  sendEvent,
  sendUrlVerification,
} from './events.js';
export { API_APP_ID, newTriggerId, nowTs, TEAM_DOMAIN, TEAM_ID, VERIFICATION_TOKEN } from './ids.js';
export {
  type SignOptions,
  type SlackHttpResponse,
  sendSigned,
  signSlackRequest,
  slackHeaders,
} from './sign.js';
export { type SlashCommandInput, sendSlashCommand, slashCommandBody } from './slash-command.js';
export {
  sendViewSubmission,
  type ViewStateValue,
  type ViewSubmissionInput,
  viewSubmissionPayload,
} from './view-submission.js';
