// What stands between the internet and Bolt at /slack/events: the path and method, a body limit enforced while
// reading, the signature with a clock-skew bound both ways, and a body shape Bolt can dispatch without throwing.
// Only a request that passes all of them reaches Bolt, with its body already read.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { verifySlackRequest } from '@slack/bolt';
import getRawBody from 'raw-body';
import { z } from 'zod';

export const SLACK_EVENTS_PATH = '/slack/events';
/**
 * Slack's largest requests are block_actions and view submissions, which carry the whole message or view (up to
 * 50 or 100 blocks, form-encoded); 1 MiB holds them with room to spare.
 */
export const SLACK_BODY_LIMIT = 1024 * 1024;
/** Slack's documented replay window, applied to timestamps in the future as well as in the past. */
export const SLACK_MAX_CLOCK_SKEW_SECONDS = 5 * 60;

export type SlackRequestGuardOptions = {
  readonly signingSecret: string;
  readonly now?: () => number;
  readonly bodyLimit?: number;
};

/** Bolt takes a request whose `rawBody` is set as already read (`bufferIncomingMessage`). */
type BufferedRequest = IncomingMessage & { rawBody?: Buffer };

type Refusal = { readonly status: number; readonly error: string; readonly headers?: Record<string, string> };
export type GuardOutcome = { readonly ok: true } | ({ readonly ok: false } & Refusal);

/** Requests the guard answers: the endpoint itself and anything that looks like it (`/slack/events/`, `…X`). */
export function isSlackEventsPath(url: string): boolean {
  return url.startsWith(SLACK_EVENTS_PATH);
}

// What Bolt dereferences while dispatching (who clicked, the actions, the view, the event): a body without it is
// refused here with 400 instead of failing inside Bolt, unacknowledged, three seconds later.
const UserRef = z.object({ id: z.string().min(1) });
const Interaction = z.union([
  z.object({
    type: z.enum(['block_actions', 'interactive_message']),
    user: UserRef,
    actions: z.array(z.object({})).min(1),
  }),
  z.object({ type: z.enum(['view_submission', 'view_closed']), user: UserRef, view: z.object({}) }),
  z.object({
    type: z.enum([
      'shortcut',
      'message_action',
      'block_suggestion',
      'dialog_submission',
      'dialog_suggestion',
    ]),
    user: UserRef,
  }),
]);
const EventsApiRequest = z.union([
  z.object({ type: z.literal('event_callback'), event: z.object({ type: z.string().min(1) }) }),
  z.object({ type: z.literal('url_verification'), challenge: z.string() }),
  z.object({ type: z.literal('app_rate_limited') }),
]);
const SlashCommand = z.object({
  command: z.string().min(1),
  user_id: z.string().min(1),
  response_url: z.string().min(1),
});
const SslCheck = z.object({ ssl_check: z.literal('1') });

/** Reads, verifies and checks one request; on success `req.rawBody` holds the verified body for Bolt. */
export async function guardSlackRequest(
  req: BufferedRequest,
  options: SlackRequestGuardOptions,
): Promise<GuardOutcome> {
  const path = (req.url ?? '').split('?', 1)[0];
  if (path !== SLACK_EVENTS_PATH) return { ok: false, status: 404, error: 'not found' };
  if (req.method !== 'POST') {
    return { ok: false, status: 405, error: 'only POST is allowed here', headers: { allow: 'POST' } };
  }
  const limit = options.bodyLimit ?? SLACK_BODY_LIMIT;
  let body: Buffer;
  try {
    // raw-body refuses an oversized Content-Length before reading and stops reading at the limit otherwise.
    body = await getRawBody(req, { limit });
  } catch (error) {
    const status = statusOf(error);
    return status === 413
      ? { ok: false, status: 413, error: `body is larger than ${limit} bytes` }
      : { ok: false, status: 400, error: 'the body could not be read' };
  }
  const text = body.toString('utf8');
  const contentType = (req.headers['content-type'] ?? '').split(';', 1)[0]?.trim();
  const parsed = parseBody(text, contentType);
  if (parsed === undefined) return { ok: false, status: 400, error: 'the body is not a Slack request' };
  if (SslCheck.safeParse(parsed).success) {
    req.rawBody = Buffer.from('ssl_check=1');
    return { ok: true };
  }
  const signature = verify(req, text, options);
  if (!signature.ok) return signature;
  if (!isDispatchable(parsed)) return { ok: false, status: 400, error: 'the body is not a Slack request' };
  req.rawBody = body;
  return { ok: true };
}

function verify(req: IncomingMessage, body: string, options: SlackRequestGuardOptions): GuardOutcome {
  const signature = req.headers['x-slack-signature'];
  const timestampHeader = req.headers['x-slack-request-timestamp'];
  const unsigned = { ok: false, status: 401, error: 'invalid or missing Slack signature' } as const;
  if (typeof signature !== 'string' || typeof timestampHeader !== 'string') return unsigned;
  if (!/^\d{1,12}$/.test(timestampHeader)) return unsigned;
  const timestamp = Number(timestampHeader);
  const nowMs = options.now?.() ?? Date.now();
  if (Math.abs(nowMs / 1000 - timestamp) > SLACK_MAX_CLOCK_SKEW_SECONDS) {
    return { ok: false, status: 401, error: 'the request timestamp is too far from now' };
  }
  try {
    verifySlackRequest({
      signingSecret: options.signingSecret,
      body,
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      nowMilliseconds: nowMs,
    });
    return { ok: true };
  } catch {
    return unsigned;
  }
}

/** An interaction (`payload=<json>`), a slash command or an Events API request, with what Bolt reads of it. */
function isDispatchable(body: Record<string, unknown>): boolean {
  if (body.payload !== undefined) return Interaction.safeParse(parseJson(body.payload)).success;
  return SlashCommand.safeParse(body).success || EventsApiRequest.safeParse(body).success;
}

/** The body as an object (form fields or JSON), or undefined when it is neither. */
function parseBody(text: string, contentType: string | undefined): Record<string, unknown> | undefined {
  if (contentType === 'application/x-www-form-urlencoded') return { ...parseQuery(text) };
  if (contentType === 'application/json') {
    const value = parseJson(text);
    return isRecord(value) ? value : undefined;
  }
  return undefined;
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function statusOf(error: unknown): number | undefined {
  return isRecord(error) && typeof error.status === 'number' ? error.status : undefined;
}

/**
 * Answers a refused request at once, with a short JSON reason. An unread body is not drained: the connection is
 * closed after the answer, so an oversized upload costs neither memory nor the time to read it.
 */
export function refuse(req: IncomingMessage, res: ServerResponse, refusal: Refusal): void {
  const unread = !req.complete;
  res.writeHead(refusal.status, {
    'content-type': 'application/json',
    ...(unread ? { connection: 'close' } : {}),
    ...refusal.headers,
  });
  res.end(JSON.stringify({ error: refusal.error }), () => {
    if (unread) req.socket.destroy();
  });
}
