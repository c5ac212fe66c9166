import { createServer, type ServerResponse } from 'node:http';

// Prometheus' instant-query API answering 0 to every query, which a test can make hang: `holdNext()` keeps the
// next query unanswered (a worker is then provably in the middle of an analysis check) until `release()`.
// It counts queries in flight, so a test can tell whether one check ever ran twice at the same time.

export type FaultPrometheus = {
  readonly url: string;
  /** Holds the next query unanswered; resolves once one is held. */
  holdNext(): Promise<void>;
  /** Answers the held queries whose clients are still there, and stops holding. */
  release(): void;
  /** How many queries arrived. */
  readonly queries: number;
  /** The most queries in flight at once (a held query counts until its client goes away). */
  readonly maxInFlight: number;
  close(): Promise<void>;
};

const ANSWER = (): string =>
  JSON.stringify({
    status: 'success',
    data: { resultType: 'vector', result: [{ metric: {}, value: [Date.now() / 1000, '0'] }] },
  });

export async function startFaultPrometheus(): Promise<FaultPrometheus> {
  let queries = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let holding: (() => void) | undefined;
  const held: ServerResponse[] = [];

  function answer(res: ServerResponse): void {
    if (res.destroyed || res.writableEnded) return;
    res.setHeader('content-type', 'application/json');
    res.end(ANSWER());
  }

  const server = createServer((req, res) => {
    req.resume();
    queries += 1;
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.once('close', () => {
      inFlight -= 1;
    });
    if (holding) {
      held.push(res);
      const onHeld = holding;
      holding = undefined;
      onHeld();
      return;
    }
    answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    holdNext: () =>
      new Promise<void>((resolve) => {
        holding = resolve;
      }),
    release() {
      holding = undefined;
      for (const res of held.splice(0)) answer(res);
    },
    get queries() {
      return queries;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
