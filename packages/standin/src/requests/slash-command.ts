// A slash command as Slack posts it: form fields in Slack's order.

import { API_APP_ID, newTriggerId, TEAM_DOMAIN, TEAM_ID, VERIFICATION_TOKEN } from './ids.js';
import { FORM, type SignOptions, type SlackHttpResponse, sendSigned } from './sign.js';

export type SlashCommandInput = {
  readonly command: string;
  readonly text?: string;
  readonly userId: string;
  readonly userName?: string;
  readonly channelId: string;
  readonly channelName?: string;
  readonly responseUrl: string;
  readonly triggerId?: string;
  readonly teamId?: string;
};

/** The form fields of a slash command, in Slack's order. */
export function slashCommandBody(input: SlashCommandInput): string {
  return new URLSearchParams({
    token: VERIFICATION_TOKEN,
    team_id: input.teamId ?? TEAM_ID,
    team_domain: TEAM_DOMAIN,
    channel_id: input.channelId,
    channel_name: input.channelName ?? input.channelId.toLowerCase(),
    user_id: input.userId,
    user_name: input.userName ?? input.userId.toLowerCase(),
    command: input.command,
    text: input.text ?? '',
    api_app_id: API_APP_ID,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId ?? newTriggerId(),
  }).toString();
}

export function sendSlashCommand(
  eventsUrl: string,
  secret: string,
  input: SlashCommandInput,
  options?: SignOptions,
): Promise<SlackHttpResponse> {
  return sendSigned(eventsUrl, secret, slashCommandBody(input), FORM, options);
}
