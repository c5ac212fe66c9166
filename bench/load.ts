// A closed-loop load generator: `concurrency` callers, each sending its next request as soon as the last one
// is answered, until `count` requests have been answered. Latency is request sent -> response body read.
import { performance } from 'node:perf_hooks';

export type LoadResult = {
  readonly latenciesMs: number[];
  readonly failures: number;
  readonly wallMs: number;
};

export async function closedLoop(
  send: () => Promise<number>,
  options: { concurrency: number; count: number; deadlineMs: number },
): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let failures = 0;
  let issued = 0;
  const started = performance.now();
  const deadline = Date.now() + options.deadlineMs;
  async function caller(): Promise<void> {
    while (issued < options.count && Date.now() < deadline) {
      issued += 1;
      const sent = performance.now();
      const status = await send().catch(() => 0);
      latenciesMs.push(performance.now() - sent);
      if (status !== 200) failures += 1;
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, () => caller()));
  return { latenciesMs, failures, wallMs: performance.now() - started };
}
