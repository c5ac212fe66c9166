// A `view_submission` interaction: a modal's submit button, with the inputs' state.
import { randomBytes } from 'node:crypto';
import type { Payload } from '../web-api/types.js';
import { sendInteraction } from './block-action.js';
import { API_APP_ID, newTriggerId, TEAM_DOMAIN, TEAM_ID, VERIFICATION_TOKEN } from './ids.js';
import type { SignOptions, SlackHttpResponse } from './sign.js';

/** An input's state: a plain string stands for a plain_text_input's value. */
export type ViewStateValue = string | Payload;

export type ViewSubmissionInput = {
  readonly callbackId: string;
  readonly privateMetadata?: string;
  /** block_id -> action_id -> value, as in `view.state.values`. */
  readonly values: Readonly<Record<string, Readonly<Record<string, ViewStateValue>>>>;
  readonly userId: string;
  readonly userName?: string;
  readonly viewId?: string;
  readonly teamId?: string;
  /** The submitted view as opened (e.g. `fake.view(id)?.view`): its title, blocks and hash ride along. */
  readonly view?: Payload | undefined;
};

/** A `view_submission` payload for a modal's submit button. */
export function viewSubmissionPayload(input: ViewSubmissionInput): Payload {
  const teamId = input.teamId ?? TEAM_ID;
  const viewId = input.viewId ?? input.view?.id ?? `V${randomBytes(5).toString('hex').toUpperCase()}`;
  return {
    type: 'view_submission',
    team: { id: teamId, domain: TEAM_DOMAIN },
    user: {
      id: input.userId,
      username: input.userName ?? input.userId.toLowerCase(),
      name: input.userName ?? input.userId.toLowerCase(),
      team_id: teamId,
    },
    api_app_id: API_APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: newTriggerId(),
    view: {
      id: viewId,
      team_id: teamId,
      type: 'modal',
      blocks: [],
      title: { type: 'plain_text', text: 'Promotion' },
      submit: { type: 'plain_text', text: 'Submit' },
      close: null,
      clear_on_close: false,
      notify_on_close: false,
      external_id: '',
      previous_view_id: null,
      root_view_id: viewId,
      app_id: API_APP_ID,
      app_installed_team_id: teamId,
      bot_id: 'BBOT',
      hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
      ...input.view,
      private_metadata: input.privateMetadata ?? input.view?.private_metadata ?? '',
      callback_id: input.callbackId,
      state: { values: stateValues(input.values) },
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

function stateValues(values: ViewSubmissionInput['values']): Payload {
  return Object.fromEntries(
    Object.entries(values).map(([blockId, actions]) => [
      blockId,
      Object.fromEntries(
        Object.entries(actions).map(([actionId, value]) => [
          actionId,
          typeof value === 'string' ? { type: 'plain_text_input', value } : value,
        ]),
      ),
    ]),
  );
}

export function sendViewSubmission(
  eventsUrl: string,
  secret: string,
  input: ViewSubmissionInput,
  options?: SignOptions,
): Promise<SlackHttpResponse> {
  return sendInteraction(eventsUrl, secret, viewSubmissionPayload(input), options);
}
