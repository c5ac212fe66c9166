// Injected failures: the next N calls to a method (or to any Web API method), or every call for a while.
import type { Fault, FaultTarget, Payload } from './types.js';

export type Faults = ReturnType<typeof createFaults>;

/** Response URLs and the upload POST are not Web API methods: `'*'` leaves them alone. */
const PSEUDO_METHODS = new Set(['response_url', 'upload']);

export function createFaults() {
  const queued: {
    target: FaultTarget;
    remaining: number;
    fault: Fault;
    when: (args: Payload) => boolean;
  }[] = [];
  const windows: { target: FaultTarget; until: number; fault: Fault }[] = [];

  function matches(target: FaultTarget, method: string): boolean {
    return target === method || (target === '*' && !PSEUDO_METHODS.has(method));
  }

  return {
    failNext(
      target: FaultTarget,
      count: number,
      fault: Fault,
      when: (args: Payload) => boolean = () => true,
    ): void {
      queued.push({ target, remaining: count, fault, when });
    },
    failFor(ms: number, fault: Fault, target: FaultTarget = '*'): void {
      windows.push({ target, until: Date.now() + ms, fault });
    },
    /** The fault for this call, if any (a queued one is used up). Method-specific entries win over `'*'`. */
    take(method: string, args: Payload = {}): Fault | undefined {
      const entry =
        queued.find((q) => q.remaining > 0 && q.target === method && q.when(args)) ??
        queued.find((q) => q.remaining > 0 && matches(q.target, method) && q.when(args));
      if (entry) {
        entry.remaining -= 1;
        return entry.fault;
      }
      const now = Date.now();
      return windows.find((w) => w.until > now && matches(w.target, method))?.fault;
    },
    clear(): void {
      queued.length = 0;
      windows.length = 0;
    },
  };
}
