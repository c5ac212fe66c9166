// startFakeSlack: a stand-in for Slack's Web API that a bot talks to through SLACK_API_URL (tests and the demo).

import { blockKitValidators } from './block-kit-schema.js';
import { deliverEvent, memberJoinedChannel } from './deliver-events.js';
import { BOT_USER_ID, compareTs } from './message-store.js';
import { createRuntime, type Runtime } from './runtime.js';
import { listen } from './server.js';
import type { FakeSlack, FakeSlackOptions, RecordedCall, StoredMessage } from './types.js';
import { waitFor } from './wait-for.js';

const DEFAULT_WAIT_MS = 5000;

export async function startFakeSlack(options: FakeSlackOptions): Promise<FakeSlack> {
  blockKitValidators(); // compile the schema now, so the first validated call is not the slow one
  const runtime = createRuntime(options);
  const server = await listen(runtime, options.port ?? 0, options.fallback);
  const url = `http://127.0.0.1:${server.port}`;
  runtime.baseUrl = url;
  let responseCounter = 0;

  return {
    apiUrl: `${url}/api/`,
    url,
    calls: runtime.calls,
    responses: runtime.responses,
    blockErrors: runtime.blockErrors,
    get rateLimited() {
      return runtime.rateLimited;
    },
    events: runtime.events,
    callsTo: (method) => runtime.calls.filter((call) => call.method === method),
    messages: (channel) => runtime.messages.topLevel(channel),
    message: (channel, ts) => runtime.messages.get(channel, ts),
    thread: (channel, ts) => runtime.messages.replies(channel, ts),
    ephemerals: (channel) => runtime.messages.ephemerals(channel),
    views: () => runtime.views.all(),
    view: (id) => runtime.views.find(id),
    homeView: (userId) => runtime.views.home(userId),
    files: () => runtime.files.all(),
    responseUrl(id = `R${String(++responseCounter).padStart(6, '0')}`, target = {}) {
      runtime.responseUrls.set(id, { target, uses: 0, expiresAt: Date.now() + runtime.responseUrlTtlMs });
      return `${url}/response/${encodeURIComponent(id)}`;
    },
    triggerId: (userId) => runtime.views.issueTrigger(userId),
    setUsergroup: (id, users) => runtime.directory.setUsergroup(id, users),
    addChannel: (channel) => runtime.directory.addChannel(channel),
    addUser: (user) => runtime.directory.addUser(user),
    deliverEventsTo(target) {
      runtime.eventsTarget.current = target;
    },
    inviteBot(channel, inviter) {
      const joined = runtime.directory.setChannel(channel, { isMember: true });
      return deliverEvent(
        runtime,
        memberJoinedChannel(joined, BOT_USER_ID, runtime.directory.teamId, inviter),
      );
    },
    removeBot: (channel) => {
      runtime.directory.setChannel(channel, { isMember: false });
    },
    archiveChannel: (channel) => {
      runtime.directory.setChannel(channel, { isArchived: true });
    },
    addMember(channel, user, inviter) {
      const joined = runtime.directory.addMember(channel, user);
      return deliverEvent(runtime, memberJoinedChannel(joined, user, runtime.directory.teamId, inviter));
    },
    removeMember: (channel, user) => runtime.directory.removeMember(channel, user),
    deleteMessage(channel, ts) {
      if (!runtime.messages.remove(channel, ts))
        throw new Error(`fake Slack has no message ${ts} in ${channel}`);
    },
    postAsUser(channel, userId, text, threadTs) {
      const found = runtime.directory.resolveChannel(channel);
      if (!found) throw new Error(`fake Slack has no channel ${channel}`);
      return runtime.messages.post({
        channel: found.id,
        text,
        blocks: [],
        attachments: [],
        user: userId,
        ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
      });
    },
    maxPostsPerSecond: (channel) => runtime.limiter.maxPerSecond(channel),
    failNext: (target, count, fault, when) => runtime.faults.failNext(target, count, fault, when),
    failFor: (ms, fault, target) => runtime.faults.failFor(ms, fault, target),
    clearFaults: () => runtime.faults.clear(),
    onCall(listener) {
      runtime.listeners.add(listener);
      return () => runtime.listeners.delete(listener);
    },
    waitForInFlight: (method, predicate = () => true, timeoutMs = DEFAULT_WAIT_MS) =>
      waitWithSummary(runtime, `a ${method} call in flight`, timeoutMs, () =>
        [...runtime.inFlight].find((call) => call.method === method && predicate(call)),
      ),
    waitForCall: (method, predicate = () => true, timeoutMs = DEFAULT_WAIT_MS) =>
      waitWithSummary(runtime, `a ${method} call`, timeoutMs, () =>
        runtime.calls.find((call) => call.method === method && predicate(call)),
      ),
    waitForMessage: (channel, predicate, timeoutMs = DEFAULT_WAIT_MS) =>
      waitWithSummary(runtime, `a message in ${channel}`, timeoutMs, () =>
        findMessage(runtime, channel, predicate),
      ),
    reset: () => runtime.reset(),
    close: () => server.close(),
  };
}

function findMessage(
  runtime: Runtime,
  channel: string,
  predicate: (message: StoredMessage) => boolean,
): StoredMessage | undefined {
  const topLevel = runtime.messages.topLevel(channel);
  const replies = topLevel.flatMap((parent) => runtime.messages.replies(channel, parent.ts));
  return [...topLevel, ...replies].sort((a, b) => compareTs(a.ts, b.ts)).find(predicate);
}

/** Polls like waitFor, and on timeout says which calls did arrive. */
async function waitWithSummary<T>(
  runtime: Runtime,
  what: string,
  timeoutMs: number,
  probe: () => T | undefined,
): Promise<T> {
  try {
    return await waitFor(what, probe, timeoutMs);
  } catch (error) {
    throw new Error(
      `${String(error instanceof Error ? error.message : error)}; calls: ${summarize(runtime.calls)}`,
    );
  }
}

function summarize(calls: readonly RecordedCall[]): string {
  if (calls.length === 0) return 'none';
  return calls.map((call) => `${call.method}→${call.ok ? 'ok' : (call.error ?? call.status)}`).join(', ');
}
