// One Web API call, the way Slack takes it: faults (for tests), method lookup, token, rate limits (the method's
// tier across the workspace, chat.postMessage's per channel), the token's scopes, the method.
import { METHODS } from './methods/index.js';
import { type ParsedArgs, parseArgs } from './parse-request.js';
import { applyFault, headerOf, type IncomingCall, jsonReply, type Reply, rateLimitedReply } from './reply.js';
import type { Runtime } from './runtime.js';
import { missingScope } from './scopes.js';
import type { Payload } from './types.js';

export async function handleApiCall(runtime: Runtime, method: string, call: IncomingCall): Promise<Reply> {
  const at = Date.now();
  const contentType = headerOf(call, 'content-type');
  const parsed = parseArgs(call.body, contentType, call.query);
  const { token: _token, ...args }: Payload = parsed.ok ? parsed.args : {};
  // Seen but not answered yet: a test can kill the caller while Slack holds its call.
  const arrival = { method, args, at };
  runtime.inFlight.add(arrival);
  const fault = runtime.faults.take(method, args);
  const reply = (await applyFault(runtime, fault)) ?? answer(runtime, method, parsed, call);
  runtime.inFlight.delete(arrival);
  runtime.record({
    method,
    args,
    at,
    status: reply.status,
    ok: reply.json?.ok === true,
    ...(typeof reply.json?.error === 'string' ? { error: reply.json.error } : {}),
    ...(reply.json === undefined ? {} : { response: reply.json }),
    ...(fault === undefined ? {} : { fault }),
    contentType,
  });
  return reply;
}

function answer(runtime: Runtime, method: string, parsed: ParsedArgs, call: IncomingCall): Reply {
  const handler = METHODS.get(method);
  if (!handler) return jsonReply({ ok: false, error: 'unknown_method', req_method: method });
  if (!parsed.ok) return jsonReply({ ok: false, error: parsed.error });
  const { token: bodyToken, ...args } = parsed.args;
  const authError = checkToken(runtime, call, bodyToken);
  if (authError) return jsonReply({ ok: false, error: authError });
  const tierWait = runtime.limiter.takeMethod(method);
  if (tierWait > 0) return rateLimitedReply(runtime, tierWait);
  const scopeError = missingScope(method, args, runtime.scopes, runtime.directory);
  if (scopeError) return jsonReply(scopeError);
  const channel = method === 'chat.postMessage' ? rateLimitKey(runtime, args.channel) : undefined;
  if (channel !== undefined) {
    const wait = runtime.limiter.retryAfter(channel);
    if (wait > 0) return rateLimitedReply(runtime, wait);
  }
  const json = handler(args, runtime.context(method));
  if (channel !== undefined && json.ok === true) runtime.limiter.record(channel);
  return jsonReply(json);
}

/** Slack reads the token from `Authorization: Bearer …` or, for form bodies, a `token` field. */
function checkToken(runtime: Runtime, call: IncomingCall, bodyToken: unknown): string | undefined {
  const header = /^Bearer\s+(.+)$/i.exec(headerOf(call, 'authorization'))?.[1];
  const token = header ?? (typeof bodyToken === 'string' ? bodyToken : undefined);
  if (!token) return 'not_authed';
  return token === runtime.token ? undefined : 'invalid_auth';
}

function rateLimitKey(runtime: Runtime, channel: unknown): string | undefined {
  if (typeof channel !== 'string') return undefined;
  return runtime.directory.resolveChannel(channel)?.id;
}
