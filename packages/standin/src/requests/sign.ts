// Requests to a bot's /slack/events URL, signed the way Slack signs them:
// `x-slack-signature: v0=HMAC-SHA256(secret, "v0:<timestamp>:<raw body>")` and `x-slack-request-timestamp`.
// Slash commands and interactivity go as `application/x-www-form-urlencoded`, the Events API as JSON.
import { createHmac } from 'node:crypto';

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

export const FORM = 'application/x-www-form-urlencoded';
export const JSON_TYPE = 'application/json';
