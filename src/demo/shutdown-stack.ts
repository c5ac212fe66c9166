// What the demo started, stopped in reverse order. A part that cannot stop (the bot waiting for a Redis that is
// gone) gets a deadline, so it never keeps the rest running.
const CLOSE_TIMEOUT_MS = 15_000;

export type ShutdownStack = {
  /** Registers how to stop what was just started; stop() runs the latest first. */
  push(close: () => Promise<void>): void;
  stop(): Promise<void>;
};

export function createShutdownStack(timeoutMs = CLOSE_TIMEOUT_MS): ShutdownStack {
  const closers: Array<() => Promise<void>> = [];
  return {
    push(close) {
      closers.push(close);
    },
    async stop() {
      while (closers.length > 0) {
        const close = closers.pop();
        if (close) await withTimeout(close(), timeoutMs).catch(() => undefined);
      }
    },
  };
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
