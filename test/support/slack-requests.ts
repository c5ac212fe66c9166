// Requests to a bot's /slack/events URL, built and signed the way Slack builds and signs them: slash commands and
// interactivity as `application/x-www-form-urlencoded` (interactions inside `payload=<json>`), the Events API as
// JSON; `x-slack-signature: v0=HMAC-SHA256(secret, "v0:<timestamp>:<raw body>")` and `x-slack-request-timestamp`.
import { createHmac, randomBytes } from 'node:crypto';
import type { Payload } from './fake-slack/types.js';

export type SignOptions = {
  /** Sign with this secret instead (a wrong secret: the bot must answer 401). */
  readonly secret?: string;
  /** Unix seconds to sign and send (stale: `Math.floor(Date.now() / 1000) - 600`). */
  readonly timestamp?: number;
  /** Slack's redelivery headers: `x-slack-retry-num` and `x-slack-retry-reason`. */
  readonly retryNum?: number;
  readonly retryReason?: string;
};

export type SlackHttpResponse = {
  readonly status: number;
  readonly body: string;
  readonly headers: Headers;
  json<T = unknown>(): T;
};

export const TEAM_ID = 'T0TEST';
export const TEAM_DOMAIN = 'promotion-test';
export const API_APP_ID = 'A0PROMOTION';
/** The deprecated verification token Slack still puts in every payload. */
export const VERIFICATION_TOKEN = 'fake-verification-token';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/** `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`: the signature Slack sends and Bolt checks. */
export function signSlackRequest(secret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/** The headers Slack sends with a request body. */
export function slackHeaders(
  secret: string,
  rawBody: string,
  contentType: string,
  options: SignOptions = {},
): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    'content-type': contentType,
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signSlackRequest(options.secret ?? secret, timestamp, rawBody),
    ...(options.retryNum === undefined
      ? {}
      : {
          'x-slack-retry-num': String(options.retryNum),
          'x-slack-retry-reason': options.retryReason ?? 'http_timeout',
        }),
  };
}

/** POSTs a raw body to the bot, signed. */
export async function sendSigned(
  eventsUrl: string,
  secret: string,
  rawBody: string,
  contentType: string,
  options: SignOptions = {},
): Promise<SlackHttpResponse> {
  const response = await fetch(eventsUrl, {
    method: 'POST',
    headers: slackHeaders(secret, rawBody, contentType, options),
    body: rawBody,
  });
  const body = await response.text();
  return { status: response.status, body, headers: response.headers, json: () => JSON.parse(body) };
}

/** A trigger id shaped like Slack's (`<ms>.<team number>.<hex>`). */
export function newTriggerId(): string {
  return `${Date.now()}.${Number.parseInt(randomBytes(4).toString('hex'), 16)}.${randomBytes(16).toString('hex')}`;
}

/** `1700000000.123456`-style action and event timestamps. */
export function nowTs(): string {
  const micros = Date.now() * 1000 + Math.floor(Math.random() * 1000);
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

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

export type BlockActionInput = {
  readonly actionId: string;
  readonly value: string;
  readonly userId: string;
  readonly userName?: string;
  readonly channelId: string;
  readonly messageTs: string;
  readonly responseUrl: string;
  readonly triggerId?: string;
  readonly teamId?: string;
  /** The clicked message as Slack has it (e.g. `fake.message(channel, ts)`): its blocks ride along. */
  readonly message?:
    | { readonly text?: string; readonly blocks?: readonly Payload[]; readonly thread_ts?: string }
    | undefined;
  /** Defaults to the block_id of the block in `message` holding `actionId`, else a random one like Slack's. */
  readonly blockId?: string;
};

/** A `block_actions` payload for a button click on a message. */
export function blockActionPayload(input: BlockActionInput): Payload {
  const teamId = input.teamId ?? TEAM_ID;
  const blocks = input.message?.blocks ?? [];
  const block = blocks.find((b) => holdsAction(b, input.actionId));
  const button = [...(block?.elements ?? []), block?.accessory].find((e) => e?.action_id === input.actionId);
  return {
    type: 'block_actions',
    user: {
      id: input.userId,
      username: input.userName ?? input.userId.toLowerCase(),
      name: input.userName ?? input.userId.toLowerCase(),
      team_id: teamId,
    },
    api_app_id: API_APP_ID,
    token: VERIFICATION_TOKEN,
    container: {
      type: 'message',
      message_ts: input.messageTs,
      channel_id: input.channelId,
      is_ephemeral: false,
      ...(input.message?.thread_ts === undefined ? {} : { thread_ts: input.message.thread_ts }),
    },
    trigger_id: input.triggerId ?? newTriggerId(),
    team: { id: teamId, domain: TEAM_DOMAIN },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channelId, name: input.channelId.toLowerCase() },
    message: {
      type: 'message',
      subtype: 'bot_message',
      user: 'UBOT',
      bot_id: 'BBOT',
      app_id: API_APP_ID,
      team: teamId,
      text: input.message?.text ?? '',
      ts: input.messageTs,
      blocks,
      ...(input.message?.thread_ts === undefined ? {} : { thread_ts: input.message.thread_ts }),
    },
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [
      {
        action_id: input.actionId,
        block_id: input.blockId ?? (typeof block?.block_id === 'string' ? block.block_id : randomBlockId()),
        text: button?.text ?? { type: 'plain_text', text: input.actionId, emoji: true },
        value: input.value,
        ...(typeof button?.style === 'string' ? { style: button.style } : {}),
        type: 'button',
        action_ts: nowTs(),
      },
    ],
  };
}

/** Slack gives a block without a block_id a random one (`2WGp9`); a bot must not rely on it. */
function randomBlockId(): string {
  return randomBytes(4).toString('base64url').slice(0, 5);
}

function holdsAction(block: Payload, actionId: string): boolean {
  const elements: unknown[] = [...(Array.isArray(block.elements) ? block.elements : []), block.accessory];
  return elements.some(
    (e) => typeof e === 'object' && e !== null && 'action_id' in e && e.action_id === actionId,
  );
}

export function sendBlockAction(
  eventsUrl: string,
  secret: string,
  input: BlockActionInput,
  options?: SignOptions,
): Promise<SlackHttpResponse> {
  return sendInteraction(eventsUrl, secret, blockActionPayload(input), options);
}

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

/** Any interactivity payload, sent as Slack sends it: `payload=<url-encoded JSON>`. */
export function sendInteraction(
  eventsUrl: string,
  secret: string,
  payload: Payload,
  options?: SignOptions,
): Promise<SlackHttpResponse> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return sendSigned(eventsUrl, secret, body, FORM, options);
}

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
