// What the fairness and permanent-error benchmarks read, through public interfaces only: a promotion's status from
// GET /api/promotions/<id>, and gate messages (Approve and Reject buttons) from the Slack stand-in's messages.
import { buttonsOf, type FakeSlack, type StoredMessage, textOf } from '../test/support/fake-slack/index.js';
import { API_TOKEN } from '../test/support/test-bot.js';

export type PromotionStatus = {
  readonly status: string;
  /** When the promotion last changed (ms since the epoch), from the API's `updatedAt`. */
  readonly updatedAt: number;
};

/** GET /api/promotions/<id>: its status and when it last changed. */
export async function promotionStatus(url: string, id: string): Promise<PromotionStatus> {
  const response = await fetch(`${url}/api/promotions/${encodeURIComponent(id)}`, {
    headers: { authorization: `Bearer ${API_TOKEN}` },
  });
  if (response.status !== 200) throw new Error(`GET /api/promotions/${id}: ${response.status}`);
  const body = (await response.json()) as { status?: unknown; updatedAt?: unknown };
  const updatedAt = typeof body.updatedAt === 'string' ? Date.parse(body.updatedAt) : Number.NaN;
  return { status: String(body.status), updatedAt };
}

/**
 * Polls the API until the promotion's status is `status`; resolves with when it got there (its `updatedAt`, or
 * the poll that saw it when that is missing or later), or undefined after `timeoutMs`.
 */
export async function waitForStatus(
  url: string,
  id: string,
  status: string,
  timeoutMs: number,
  pollMs = 50,
): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const polledAt = Date.now();
    const seen = await promotionStatus(url, id).catch(() => undefined);
    if (seen?.status === status)
      return Number.isFinite(seen.updatedAt) && seen.updatedAt <= polledAt ? seen.updatedAt : polledAt;
    if (Date.now() >= deadline) return undefined;
    await sleep(pollMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A message a person can approve or reject from: it has an Approve and a Reject button. */
export function hasGateButtons(message: StoredMessage): boolean {
  const buttons = buttonsOf(message).map((b) => `${b.actionId} ${b.text}`);
  return buttons.some((b) => /approve/i.test(b)) && buttons.some((b) => /reject/i.test(b));
}

/** Whether `text` names `service` as a word (so `svc-1` does not match `svc-10`). */
export function mentions(text: string, service: string): boolean {
  const escaped = service.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9._-])${escaped}($|[^a-z0-9_-]|\\.(?![a-z0-9]))`, 'i').test(text);
}

/** Every message in `channel`, top-level and thread replies. */
export function allMessages(fake: FakeSlack, channel: string): StoredMessage[] {
  const top = fake.messages(channel);
  return [...top, ...top.flatMap((parent) => fake.thread(channel, parent.ts))];
}

/** The gate message for `service` in `channel`, top-level or in a thread. */
export function findGate(fake: FakeSlack, channel: string, service: string): StoredMessage | undefined {
  return allMessages(fake, channel).find((m) => hasGateButtons(m) && mentions(textOf(m), service));
}

/**
 * Resolves with the arrival time of the Web API call after which `service`'s gate is in `channel` (checked after
 * every accepted call into that channel), or undefined after `timeoutMs`. Start it before the gate can appear.
 */
export function watchGate(
  fake: FakeSlack,
  channel: string,
  service: string,
): { readonly at: Promise<number>; within(timeoutMs: number): Promise<number | undefined>; stop(): void } {
  let resolve: (at: number) => void = () => undefined;
  const at = new Promise<number>((r) => {
    resolve = r;
  });
  const unsubscribe = fake.onCall((call) => {
    if (call.ok && call.args.channel === channel && findGate(fake, channel, service)) {
      unsubscribe();
      resolve(call.at);
    }
  });
  if (findGate(fake, channel, service)) {
    unsubscribe();
    resolve(Date.now());
  }
  return {
    at,
    within: (timeoutMs) => settledWithin(at, timeoutMs),
    stop: unsubscribe,
  };
}

/** What `promise` resolves with if it does within `timeoutMs`, else undefined. */
export async function settledWithin<T>(promise: Promise<T>, timeoutMs: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
