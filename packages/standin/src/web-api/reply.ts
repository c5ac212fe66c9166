// What the fake's HTTP handlers answer, and the answers faults turn into.
import type { Runtime } from './runtime.js';
import type { Fault, Payload } from './types.js';

export type Reply = {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The JSON body, for the call record. */
  readonly json?: Payload;
};

export type IncomingCall = {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
};

export function jsonReply(json: Payload, status = 200, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(json),
    json,
  };
}

export function textReply(status: number, body: string): Reply {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}

export function rateLimitedReply(runtime: Runtime, seconds: number): Reply {
  runtime.rateLimited += 1;
  return jsonReply({ ok: false, error: 'ratelimited' }, 429, { 'retry-after': String(seconds) });
}

/** The reply a fault stands for, or undefined when the call should go on (after any hang). */
export async function applyFault(runtime: Runtime, fault: Fault | undefined): Promise<Reply | undefined> {
  if (fault === undefined) return undefined;
  if ('hangMs' in fault) {
    await runtime.delay(fault.hangMs);
    return undefined;
  }
  if ('status' in fault) return textReply(fault.status, `fake Slack: injected HTTP ${fault.status}`);
  if ('error' in fault) return jsonReply({ ok: false, error: fault.error });
  return rateLimitedReply(runtime, fault.ratelimit);
}

export function headerOf(call: IncomingCall, name: string): string {
  const value = call.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}
