// Ctrl-C and SIGTERM stop the demo. Under `npm run demo` the signal arrives more than once (the terminal signals
// npm, tsx and node, and each wrapper passes it on), so repeats in the first seconds are ignored; a later one,
// while stopping seems stuck, exits at once.
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
const REPEAT_IGNORED_MS = 3000;

export type StopSignals = { readonly requested: Promise<string>; dispose(): void };

export function listenForStopSignals(onForce: (signal: string) => void): StopSignals {
  let firstAt: number | undefined;
  let resolveRequested: (signal: string) => void = () => undefined;
  const requested = new Promise<string>((resolve) => {
    resolveRequested = resolve;
  });
  const handler = (signal: NodeJS.Signals) => {
    if (firstAt === undefined) {
      firstAt = Date.now();
      resolveRequested(signal);
      return;
    }
    if (Date.now() - firstAt > REPEAT_IGNORED_MS) onForce(signal);
  };
  for (const signal of SIGNALS) process.on(signal, handler);
  return {
    requested,
    dispose() {
      for (const signal of SIGNALS) process.off(signal, handler);
    },
  };
}
