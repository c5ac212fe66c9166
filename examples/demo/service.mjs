// One version of a demo service in one environment, for `promotion-bot demo`. It serves /health, /version,
// Prometheus metrics on /metrics, its recent error rate as JSON on /error-rate and a small /api/products, and it
// simulates its own traffic so that the error rate means something. deploy.sh starts it detached; it stops on
// SIGTERM, and by itself when the demo that started it (DEMO_OWNER_PID) is gone.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { portOf } from './ports.mjs';

const TICK_MS = 250;
const WINDOW_TICKS = 20; // the error rate covers the last 5 seconds
const REQUESTS_PER_TICK = 10; // simulated traffic at 100% weight
const MAX_ERROR_RATE = 0.6;

const service = process.env.SERVICE || 'shop';
const version = process.env.VERSION || '0.0.0';
const environment = process.env.ENVIRONMENT || 'development';
const port = Number(process.env.PORT || portOf(environment));
const startedAt = Date.now();
let weight = toWeight(process.env.WEIGHT);
const behaviour = behaviourOf(version);

const registry = new Registry();
registry.setDefaultLabels({ service, environment });
collectDefaultMetrics({ register: registry });
const requestsTotal = new Counter({
  name: 'http_requests_total',
  help: 'Requests served, simulated and real',
  labelNames: ['version', 'code'],
  registers: [registry],
});
new Gauge({
  name: 'demo_error_rate',
  help: 'Share of requests that failed over the last 5 seconds',
  labelNames: ['version'],
  registers: [registry],
  collect() {
    const { errorRate } = recentErrors();
    this.set({ version }, errorRate ?? 0);
  },
});
new Gauge({
  name: 'demo_traffic_weight',
  help: 'Share of the traffic this version takes, in percent',
  labelNames: ['version'],
  registers: [registry],
  collect() {
    this.set({ version }, weight);
  },
});

const recent = [];
let current = { requests: 0, errors: 0 };
let debt = 0; // failures owed: errors follow the error rate exactly instead of at random
let realDebt = 0;

function behaviourOf(name) {
  const file = new URL('./releases.json', import.meta.url);
  const releases = JSON.parse(readFileSync(file, 'utf8'));
  return { errorRate: 0, ...releases.default, ...releases.versions?.[name] };
}

function toWeight(text) {
  const value = Number(text || 100);
  return Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : 100;
}

/** The share of requests failing now: the version's own rate, plus the climb of a bad release in production. */
function errorRateNow() {
  const climb = environment === 'production' ? (behaviour.productionErrorRateClimbsPerSecond ?? 0) : 0;
  return Math.min(MAX_ERROR_RATE, behaviour.errorRate + (climb * (Date.now() - startedAt)) / 1000);
}

function record(failed) {
  current.requests += 1;
  if (failed) current.errors += 1;
  requestsTotal.inc({ version, code: failed ? '500' : '200' });
}

function simulateTraffic() {
  const served = Math.max(1, Math.round((REQUESTS_PER_TICK * weight) / 100));
  for (let i = 0; i < served; i += 1) {
    debt += errorRateNow();
    const failed = debt >= 1;
    if (failed) debt -= 1;
    record(failed);
  }
  recent.push(current);
  if (recent.length > WINDOW_TICKS) recent.shift();
  current = { requests: 0, errors: 0 };
}

/** A real request fails only for the part of the error rate a bad release adds, so tests see bugs, not noise. */
function realRequestFails() {
  realDebt += Math.max(0, errorRateNow() - behaviour.errorRate);
  if (realDebt < 1) return false;
  realDebt -= 1;
  return true;
}

function recentErrors() {
  const requests = recent.reduce((sum, tick) => sum + tick.requests, 0);
  const errors = recent.reduce((sum, tick) => sum + tick.errors, 0);
  return { requests, errors, errorRate: requests === 0 ? null : errors / requests };
}

const PRODUCTS = [
  { id: 'p-1', name: 'Teapot', price: 18 },
  { id: 'p-2', name: 'Kettle', price: 34 },
  { id: 'p-3', name: 'Mug', price: 9 },
];

const routes = {
  'GET /health': () => [200, { status: 'ok' }],
  'GET /version': () => [
    200,
    { service, version, environment, weight, startedAt: new Date(startedAt).toISOString() },
  ],
  'GET /error-rate': () => [200, { service, version, environment, weight, window: '5s', ...recentErrors() }],
  'GET /api/products': () => {
    const failed = realRequestFails();
    record(failed);
    return failed ? [500, { error: 'internal error' }] : [200, { version, products: PRODUCTS }];
  },
  'POST /weight': (url) => {
    weight = toWeight(url.searchParams.get('value'));
    return [200, { version, weight }];
  },
};

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  request.resume();
  if (request.method === 'GET' && url.pathname === '/metrics') {
    registry.metrics().then((text) => {
      response.writeHead(200, { 'content-type': registry.contentType });
      response.end(text);
    });
    return;
  }
  const route = routes[`${request.method} ${url.pathname}`];
  const [status, body] = route ? route(url) : [404, { error: `no route ${request.method} ${url.pathname}` }];
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
});

const traffic = setInterval(simulateTraffic, TICK_MS);
const owner = Number(process.env.DEMO_OWNER_PID);
const watchdog = Number.isInteger(owner) && owner > 1 ? setInterval(stopWithoutOwner, 1000) : undefined;

function stopWithoutOwner() {
  try {
    process.kill(owner, 0);
  } catch (error) {
    // EPERM: the demo is alive but runs as another user (steps run as an unprivileged one when it is root).
    if (error.code !== 'EPERM') stop('the demo that started it is gone');
  }
}

function stop(reason) {
  process.stdout.write(`${new Date().toISOString()} ${service} ${version} stopping: ${reason}\n`);
  clearInterval(traffic);
  if (watchdog) clearInterval(watchdog);
  server.close(() => process.exit(0));
  server.closeAllConnections();
}

process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(
    `${new Date().toISOString()} ${service} ${version} (${environment}, ${weight}%) on http://127.0.0.1:${port}\n`,
  );
});
