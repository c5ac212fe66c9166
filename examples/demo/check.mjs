// The demo pipeline's tests, run against the environment's demo service ($ENVIRONMENT, $VERSION):
//   smoke        /health answers and /version is the version just deployed
//   acceptance   the shop API lists its products, five times in a row
//   load         100 requests, 10 at a time: under 1% errors and a p95 under 1.5 s (generous: a busy laptop)
// Exit 0 when it passes; the last lines printed are what a failure notice shows.
import { portOf } from './ports.mjs';

const base = `http://127.0.0.1:${portOf(process.env.ENVIRONMENT ?? '')}`;
const expected = process.env.VERSION ?? '';

function out(line) {
  process.stdout.write(`${line}\n`);
}

function fail(line) {
  out(line);
  process.exit(1);
}

async function get(path) {
  const started = performance.now();
  try {
    const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(5000) });
    const body = await response.json().catch(() => undefined);
    return { status: response.status, body, ms: performance.now() - started };
  } catch (error) {
    return { status: 0, error: String(error?.cause?.code ?? error), ms: performance.now() - started };
  }
}

async function smoke() {
  const health = await get('/health');
  if (health.status !== 200) fail(`smoke: GET /health answered ${health.status || health.error}`);
  const version = await get('/version');
  if (version.body?.version !== expected) {
    fail(`smoke: ${base} runs ${version.body?.version ?? 'nothing'}, expected ${expected}`);
  }
  out(`smoke: ${expected} is up on ${base}`);
}

async function acceptance() {
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    const answer = await get('/api/products');
    if (answer.status !== 200) fail(`acceptance: GET /api/products #${attempt} answered ${answer.status}`);
    if (!Array.isArray(answer.body?.products) || answer.body.products.length === 0) {
      fail(`acceptance: GET /api/products #${attempt} listed no products`);
    }
  }
  out('acceptance: 5 of 5 product listings passed');
}

async function load() {
  const total = 100;
  const results = [];
  let next = 0;
  async function worker() {
    while (next < total) {
      next += 1;
      results.push(await get('/api/products'));
    }
  }
  await Promise.all(Array.from({ length: 10 }, worker));
  const failed = results.filter((r) => r.status !== 200).length;
  const sorted = results.map((r) => r.ms).sort((a, b) => a - b);
  const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 0;
  const summary = `load: ${total} requests, ${failed} failed, p95 ${p95.toFixed(0)} ms`;
  if (failed / total >= 0.01) fail(`${summary} (at most 1% may fail)`);
  if (p95 >= 1500) fail(`${summary} (p95 must stay under 1500 ms)`);
  out(summary);
}

const checks = { smoke, acceptance, load };
const check = checks[process.argv[2] ?? ''];
if (!check) fail(`usage: node check.mjs ${Object.keys(checks).join(' | ')}`);
await check();
