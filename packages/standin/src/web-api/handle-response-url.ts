// A POST to a slash command's or an interaction's response_url: recorded, and applied to the channel the way
// Slack applies it (replace or delete the original message, post in the channel, or show it to one person).
import { parseArgs } from './parse-request.js';
import { applyFault, headerOf, type IncomingCall, jsonReply, type Reply } from './reply.js';
import type { Runtime } from './runtime.js';
import type { Payload, ResponseUrlTarget } from './types.js';
import { checkMessage } from './validation.js';

/**
 * Slack: "You can use a response_url up to five times within 30 minutes" (docs.slack.dev, handling user
 * interaction). Past either, Slack answers HTTP 404 with `used_url` or `expired_url`; the fake sends those names
 * as `{ ok: false, error }` JSON (the body Slack sends is not documented, the error names are).
 */
const MAX_USES = 5;

export async function handleResponseUrl(runtime: Runtime, id: string, call: IncomingCall): Promise<Reply> {
  const at = Date.now();
  const contentType = headerOf(call, 'content-type');
  const parsed = parseArgs(call.body, contentType, new URLSearchParams());
  const body: Payload = parsed.ok ? parsed.args : {};
  const fault = runtime.faults.take('response_url');
  const reply =
    (await applyFault(runtime, fault)) ??
    (parsed.ok ? respond(runtime, id, body) : jsonReply({ ok: false, error: parsed.error }, 400));
  const ok = reply.json?.ok === true;
  const error = typeof reply.json?.error === 'string' ? { error: reply.json.error } : {};
  const responseType = body.response_type === 'in_channel' || body.response_type === 'ephemeral';
  runtime.responses.push({
    id,
    at,
    body,
    ...(responseType ? { response_type: body.response_type } : {}),
    replace_original: body.replace_original === true,
    delete_original: body.delete_original === true,
    status: reply.status,
    ok,
    ...error,
  });
  runtime.record({
    method: 'response_url',
    args: body,
    at,
    status: reply.status,
    ok,
    ...error,
    ...(reply.json === undefined ? {} : { response: reply.json }),
    ...(fault === undefined ? {} : { fault }),
    contentType,
  });
  return reply;
}

function respond(runtime: Runtime, id: string, body: Payload): Reply {
  const entry = runtime.responseUrls.get(id) ?? {
    target: {},
    uses: 0,
    expiresAt: Date.now() + runtime.responseUrlTtlMs,
  };
  runtime.responseUrls.set(id, entry);
  if (Date.now() > entry.expiresAt) return jsonReply({ ok: false, error: 'expired_url' }, 404);
  entry.uses += 1;
  if (entry.uses > MAX_USES) return jsonReply({ ok: false, error: 'used_url' }, 404);
  const { target } = entry;
  if (body.delete_original === true) {
    if (target.channel && target.messageTs) runtime.messages.remove(target.channel, target.messageTs);
    return jsonReply({ ok: true });
  }
  const check = checkMessage(body, { requireContent: true });
  if (!check.ok) {
    runtime.blockErrors.push({
      method: 'response_url',
      error: check.error,
      errors: check.errors,
      at: Date.now(),
    });
    return jsonReply({ ok: false, error: check.error, errors: check.errors });
  }
  apply(runtime, target, body);
  return jsonReply({ ok: true });
}

function apply(runtime: Runtime, target: ResponseUrlTarget, body: Payload): void {
  const text = typeof body.text === 'string' ? body.text : '';
  const blocks: Payload[] = Array.isArray(body.blocks) ? body.blocks : [];
  const original =
    target.channel && target.messageTs ? runtime.messages.get(target.channel, target.messageTs) : undefined;
  if (body.replace_original === true && original) {
    runtime.messages.update(original.channel, original.ts, { text, blocks });
    return;
  }
  if (body.response_type === 'in_channel' && target.channel) {
    const threadTs = typeof body.thread_ts === 'string' ? { thread_ts: body.thread_ts } : {};
    runtime.messages.post({ channel: target.channel, text, blocks, attachments: [], ...threadTs });
    return;
  }
  runtime.messages.addEphemeral({
    channel: target.channel ?? '',
    user: target.userId ?? '',
    text,
    blocks,
    source: 'response_url',
  });
}
