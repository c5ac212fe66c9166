// Everything one fake Slack holds: its stores, its recordings and its injected faults.

import { createDirectory } from './directory.js';
import { createFaults } from './faults.js';
import { createFileStore } from './file-store.js';
import { createMessageStore } from './message-store.js';
import type { MethodContext } from './methods/index.js';
import { createRateLimiter } from './rate-limit.js';
import type {
  BlockError,
  CallListener,
  DeliveredEvent,
  EventsTarget,
  FakeSlackOptions,
  InFlightCall,
  RecordedCall,
  RecordedResponse,
  ResponseUrlTarget,
} from './types.js';
import { createViewStore } from './view-store.js';

export type Runtime = ReturnType<typeof createRuntime>;

const RESPONSE_URL_TTL_MS = 30 * 60_000;

export function createRuntime(options: FakeSlackOptions) {
  const directory = createDirectory(options);
  const timers = new Set<NodeJS.Timeout>();
  const calls: RecordedCall[] = [];
  const responses: RecordedResponse[] = [];
  const blockErrors: BlockError[] = [];
  const events: DeliveredEvent[] = [];
  const eventsTarget: { current?: EventsTarget } = {};
  const runtime = {
    token: options.token ?? 'xoxb-test-token',
    baseUrl: '',
    directory,
    messages: createMessageStore(),
    views: createViewStore({ teamId: directory.teamId }),
    files: createFileStore(),
    faults: createFaults(),
    limiter: createRateLimiter({
      postsPerSecond: options.postsPerSecondPerChannel ?? 1,
      postBurst: options.postBurst ?? 2,
      tiers: options.rateTiers !== false,
      windowMs: options.rateWindowMs ?? 60_000,
    }),
    /** The bot token's scopes. */
    scopes: new Set(options.scopes),
    responseUrlTtlMs: options.responseUrlTtlMs ?? RESPONSE_URL_TTL_MS,
    /** Where Events API requests go, once `deliverEventsTo` was called. */
    eventsTarget,
    events,
    calls,
    responses,
    blockErrors,
    rateLimited: 0,
    listeners: new Set<CallListener>(),
    inFlight: new Set<InFlightCall>(),
    responseUrls: new Map<string, { target: ResponseUrlTarget; uses: number; expiresAt: number }>(),
    record(call: RecordedCall): void {
      runtime.calls.push(call);
      for (const listener of runtime.listeners) listener(call);
    },
    context(method: string): MethodContext {
      return {
        method,
        baseUrl: runtime.baseUrl,
        directory,
        messages: runtime.messages,
        views: runtime.views,
        files: runtime.files,
        recordBlockError: (error) => runtime.blockErrors.push(error),
      };
    },
    /** A delay that close() cuts short, so a hanging call never outlives the fake. */
    delay(ms: number): Promise<void> {
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, ms);
        timers.add(timer);
      });
    },
    stopTimers(): void {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
    reset(): void {
      runtime.calls.length = 0;
      runtime.responses.length = 0;
      runtime.blockErrors.length = 0;
      runtime.rateLimited = 0;
      runtime.messages.clear();
      runtime.views.clear();
      runtime.files.clear();
      runtime.faults.clear();
      runtime.limiter.clear();
      runtime.responseUrls.clear();
      runtime.events.length = 0;
    },
  };
  return runtime;
}
