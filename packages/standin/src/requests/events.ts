// Events API requests: the `event_callback` envelope, `app_home_opened`, and the `url_verification` handshake.
import { randomBytes } from 'node:crypto';
import type { Payload } from '../web-api/types.js';
import { API_APP_ID, nowTs, TEAM_ID, VERIFICATION_TOKEN } from './ids.js';
import { JSON_TYPE, type SignOptions, type SlackHttpResponse, sendSigned } from './sign.js';

/** An `app_home_opened` event for `userId` (the Home tab by default). */
export function appHomeOpenedEvent(
  userId: string,
  options: { tab?: 'home' | 'messages'; viewId?: string } = {},
): Payload {
  return {
    type: 'app_home_opened',
    user: userId,
    channel: `D${userId.slice(1)}`,
    tab: options.tab ?? 'home',
    event_ts: nowTs(),
    ...(options.viewId === undefined ? {} : { view: { id: options.viewId, type: 'home' } }),
  };
}

/** The `event_callback` envelope around an event (see slack_common_event_wrapper_schema.json). */
export function eventEnvelope(event: Payload, options: { teamId?: string; eventId?: string } = {}): Payload {
  const teamId = options.teamId ?? TEAM_ID;
  return {
    token: VERIFICATION_TOKEN,
    team_id: teamId,
    context_team_id: teamId,
    context_enterprise_id: null,
    api_app_id: API_APP_ID,
    event: { event_ts: nowTs(), ...event },
    type: 'event_callback',
    event_id: options.eventId ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: teamId, user_id: 'UBOT', is_bot: true, is_enterprise_install: false },
    ],
    authed_users: ['UBOT'],
    is_ext_shared_channel: false,
    event_context: `4-${randomBytes(12).toString('base64url')}`,
  };
}

export function sendEvent(
  eventsUrl: string,
  secret: string,
  event: Payload,
  options: SignOptions & { eventId?: string; teamId?: string } = {},
): Promise<SlackHttpResponse> {
  const envelope = eventEnvelope(event, {
    ...(options.eventId === undefined ? {} : { eventId: options.eventId }),
    ...(options.teamId === undefined ? {} : { teamId: options.teamId }),
  });
  return sendSigned(eventsUrl, secret, JSON.stringify(envelope), JSON_TYPE, options);
}

/** The `url_verification` handshake Slack sends when the Request URL is saved; the bot echoes the challenge. */
export function sendUrlVerification(
  eventsUrl: string,
  secret: string,
  challenge = randomBytes(24).toString('base64url'),
  options?: SignOptions,
): Promise<SlackHttpResponse> {
  const body = JSON.stringify({ token: VERIFICATION_TOKEN, challenge, type: 'url_verification' });
  return sendSigned(eventsUrl, secret, body, JSON_TYPE, options);
}
