/**
 * Rings this process's idle delivery workers when a notice that goes out at once is recorded, so a gate's
 * approval reaches Slack without waiting for their next look at the lanes. Workers in other processes find it at
 * their next look, as before.
 */
export type LaneBell = {
  ring(): void;
  /** Resolves after `ms`, at a ring, or when `signal` aborts, whichever comes first. */
  wait(ms: number, signal: AbortSignal): Promise<void>;
};

export function createLaneBell(): LaneBell {
  const waiting = new Set<() => void>();
  return {
    ring() {
      for (const wake of [...waiting]) wake();
    },
    wait(ms, signal) {
      return new Promise((resolve) => {
        // Shut down while the worker looked at the lanes: an abort listener added now would never be called.
        if (signal.aborted) return resolve();
        const wake = () => {
          clearTimeout(timer);
          waiting.delete(wake);
          signal.removeEventListener('abort', wake);
          resolve();
        };
        const timer = setTimeout(wake, ms);
        waiting.add(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    },
  };
}
