// A tiny service for rollout tests: it serves simulated traffic as prom-client counters on /metrics for a real
// Prometheus to scrape, and takes deploys and rollbacks over HTTP like a real deploy API would, so a pipeline's
// http deploy step drives which versions get traffic and the test decides how often each version fails.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Registry } from 'prom-client';

export type TrafficChange = {
  readonly at: number;
  readonly kind: 'deploy' | 'rollback';
  readonly version: string;
  readonly weight: number;
};

export type MetricsService = {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `127.0.0.1:<port>`: the scrape target. */
  readonly target: string;
  /** Versions taking traffic now and their share in percent. */
  live(): Readonly<Record<string, number>>;
  /** From now on this share of the version's requests fail (0 unless set). */
  setErrorRatio(version: string, ratio: number): void;
  /** The p99 latency, in seconds, that /stats.json reports for the version. */
  setP99(version: string, seconds: number): void;
  /** Every deploy and rollback received, oldest first. */
  readonly changes: readonly TrafficChange[];
  close(): Promise<void>;
};

export type MetricsServiceOptions = {
  /** Requests served per tick across all live versions (default 20). */
  readonly requestsPerTick?: number;
  /** Default 100 ms. */
  readonly tickMs?: number;
};

type VersionTotals = { requests: number; errors: number; errorDebt: number };

/** The version that had all traffic last, and the one being rolled out next to it. */
type TrafficState = { stable: string | undefined; canary: { version: string; weight: number } | undefined };

function trafficShares(state: TrafficState): Record<string, number> {
  const shares: Record<string, number> = {};
  if (state.stable !== undefined) shares[state.stable] = 100 - (state.canary?.weight ?? 0);
  if (state.canary) shares[state.canary.version] = state.canary.weight;
  return shares;
}

export async function startMetricsService(options: MetricsServiceOptions = {}): Promise<MetricsService> {
  const registry = new Registry();
  const labelNames = ['version'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'Requests served',
    labelNames,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'http_errors_total',
    help: 'Requests that failed',
    labelNames,
    registers: [registry],
  });
  const state: TrafficState = { stable: undefined, canary: undefined };
  const errorRatios = new Map<string, number>();
  const p99s = new Map<string, number>();
  const totals = new Map<string, VersionTotals>();
  const changes: TrafficChange[] = [];

  function totalsOf(version: string): VersionTotals {
    const existing = totals.get(version);
    if (existing) return existing;
    const created = { requests: 0, errors: 0, errorDebt: 0 };
    totals.set(version, created);
    // Both series exist from the deploy on, so a version without errors reads 0 errors rather than no data.
    requests.inc({ version }, 0);
    errors.inc({ version }, 0);
    return created;
  }

  /** One tick of traffic: each live version gets its share; its errors follow its ratio exactly, not randomly. */
  function serveTraffic(): void {
    for (const [version, share] of Object.entries(trafficShares(state))) {
      const served =
        share === 0 ? 0 : Math.max(1, Math.round(((options.requestsPerTick ?? 20) * share) / 100));
      const seen = totalsOf(version);
      seen.errorDebt += served * (errorRatios.get(version) ?? 0);
      const failed = Math.floor(seen.errorDebt + 1e-9);
      seen.errorDebt -= failed;
      seen.requests += served;
      seen.errors += failed;
      requests.inc({ version }, served);
      errors.inc({ version }, failed);
    }
  }

  function change(kind: TrafficChange['kind'], version: string, weight: number): void {
    changes.push({ at: Date.now(), kind, version, weight });
    if (version !== '') totalsOf(version);
  }

  const routes: Readonly<Record<string, (url: URL, response: ServerResponse) => Promise<void> | void>> = {
    'GET /metrics': async (_url, response) => {
      response.writeHead(200, { 'content-type': registry.contentType });
      response.end(await registry.metrics());
    },
    'GET /health': (_url, response) => sendJson(response, 200, { status: 'ok' }),
    'GET /version': (_url, response) => sendJson(response, 200, { ...state, live: trafficShares(state) }),
    'GET /stats.json': (url, response) => {
      const version = url.searchParams.get('version') ?? state.stable ?? '';
      const seen = totals.get(version);
      sendJson(response, 200, {
        version,
        requests: seen?.requests ?? 0,
        errors: seen?.errors ?? 0,
        errorRate: seen && seen.requests > 0 ? seen.errors / seen.requests : null,
        p99: p99s.get(version) ?? null,
      });
    },
    'POST /deploy': (url, response) => {
      const version = url.searchParams.get('version') ?? '';
      const weight = Number(url.searchParams.get('weight') ?? '100');
      if (version === '' || !Number.isInteger(weight) || weight < 0 || weight > 100) {
        sendJson(response, 400, { error: 'deploy needs ?version=<non-empty>&weight=<0-100>' });
        return;
      }
      if (weight === 100) Object.assign(state, { stable: version, canary: undefined });
      else state.canary = { version, weight };
      change('deploy', version, weight);
      sendJson(response, 200, { live: trafficShares(state) });
    },
    'POST /rollback': (url, response) => {
      // Without `to` (nothing ran before) the canary is taken out and the stable version, if any, keeps all traffic.
      const to = url.searchParams.get('to') ?? '';
      Object.assign(state, { stable: to === '' ? state.stable : to, canary: undefined });
      change('rollback', to, 100);
      sendJson(response, 200, { live: trafficShares(state) });
    },
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://metrics-service');
    const route = routes[`${request.method ?? 'GET'} ${url.pathname}`];
    request.resume();
    if (!route) {
      sendJson(response, 404, { error: `no route ${request.method} ${url.pathname}` });
      return;
    }
    Promise.resolve(route(url, response)).catch((error: unknown) =>
      sendJson(response, 500, { error: String(error) }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('the metrics service has no TCP address');
  const { port } = address satisfies AddressInfo;
  const traffic = setInterval(serveTraffic, options.tickMs ?? 100);
  traffic.unref();

  return {
    url: `http://127.0.0.1:${port}`,
    target: `127.0.0.1:${port}`,
    live: () => trafficShares(state),
    setErrorRatio: (version, ratio) => errorRatios.set(version, ratio),
    setP99: (version, seconds) => p99s.set(version, seconds),
    changes,
    close: () =>
      new Promise<void>((resolve, reject) => {
        clearInterval(traffic);
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
