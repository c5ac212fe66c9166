import { createServer, type Server } from 'node:http';

export type FakePrometheus = {
  readonly url: string;
  /** The error rate the query for `version` returns from now on. */
  set(version: string, value: number): void;
  /** From now on the query for `version` finds no series (an empty vector), as before a new version is scraped. */
  noData(version: string): void;
  readonly queries: string[];
  close(): Promise<void>;
};

/** Prometheus' HTTP query API, answering `{version="X"}` queries with the value a test sets (0 by default). */
export async function startFakePrometheus(): Promise<FakePrometheus> {
  const values = new Map<string, number | 'none'>();
  const queries: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query = url.searchParams.get('query') ?? '';
    queries.push(query);
    const version = /version="([^"]*)"/.exec(query)?.[1] ?? '';
    const value = values.get(version) ?? 0;
    const result = value === 'none' ? [] : [{ metric: {}, value: [Date.now() / 1000, String(value)] }];
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    set: (version, value) => values.set(version, value),
    noData: (version) => values.set(version, 'none'),
    queries,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
