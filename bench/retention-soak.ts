// The retention soak (`npm run bench:soak [-- --count N]`): N promotions published and released through a
// three-environment pipeline of no-op HTTP steps, with a short RETENTION and AUDIT_RETENTION, against a throw-away
// redis-server. Records Redis used_memory and its key count as promotions finish (the curve should flatten once
// retention keeps pace), then the rate of GET /api/audit (events/s). Writes its section into docs/benchmarks.md.
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { loadEnv } from '../src/config/env.js';
import { loadPipelineFile } from '../src/config/load-pipeline.js';
import type { Notifier } from '../src/engine/ports.js';
import { type RunningBot, startBot } from '../src/main.js';
import { startRedisServer } from '../test/support/redis-server.js';
import { API_TOKEN } from '../test/support/test-bot.js';
import { createWorkspace } from '../test/support/workspace.js';
import { countKeyPatterns } from './key-patterns.js';
import { APPROVER, noopPipeline, numberedServices } from './pipelines.js';

const OUTPUT = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
const BEGIN = '<!-- retention-soak -->';
const END = '<!-- /retention-soak -->';
const EXPORT_TARGET = 50_000;

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    services: { type: 'string', default: '50' },
    retention: { type: 'string', default: '10s' },
    'audit-retention': { type: 'string', default: '30s' },
    'sample-every': { type: 'string', default: '2000' },
  },
});
const COUNT = Number(values.count);
const SERVICES = Number(values.services);
const SAMPLE_EVERY_MS = Number(values['sample-every']);

type Sample = { seconds: number; finished: number; usedMemory: number; keys: number };

async function sample(redis: Redis, started: number, finished: number): Promise<Sample> {
  const info = await redis.info('memory');
  return {
    seconds: (performance.now() - started) / 1000,
    finished,
    usedMemory: Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN),
    keys: await redis.dbsize(),
  };
}

async function measureExport(url: string): Promise<{ events: number; bytes: number; seconds: number }> {
  const started = performance.now();
  const response = await fetch(`${url}/api/audit`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
  if (response.status !== 200 || !response.body) throw new Error(`GET /api/audit: ${response.status}`);
  let events = 0;
  let bytes = 0;
  for await (const chunk of response.body) {
    bytes += chunk.length;
    for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) events++;
  }
  return { events, bytes, seconds: (performance.now() - started) / 1000 };
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

async function main(): Promise<void> {
  if (!Number.isInteger(COUNT) || COUNT < 1) throw new Error('--count must be a whole number of at least 1');
  const server = await startRedisServer();
  const redis = new Redis(server.url, { maxRetriesPerRequest: null });
  const steps = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.end('ok'));
  });
  await new Promise<void>((resolve) => steps.listen(0, '127.0.0.1', resolve));
  const stepUrl = `http://127.0.0.1:${(steps.address() as AddressInfo).port}`;
  const workspace = await createWorkspace();
  let bot: RunningBot | undefined;
  try {
    const services = numberedServices('soak', SERVICES);
    const file = await workspace.writePipeline(noopPipeline({ services, stepUrl }));
    const loaded = loadEnv(
      {
        REDIS_URL: server.url,
        REDIS_PREFIX: 'soak',
        PORT: '0',
        PROMOTION_API_TOKEN: API_TOKEN,
        PIPELINE_FILE: file,
        LOG_LEVEL: 'info',
        WORKER_CONCURRENCY: '8',
        RETENTION: values.retention,
        AUDIT_RETENTION: values['audit-retention'],
      },
      { role: 'all', demo: true },
    );
    if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
    const pipeline = await loadPipelineFile(file);
    if (!pipeline.ok) throw new Error('the soak pipeline is invalid');

    let published = 0;
    let finished = 0;
    let failed: Error | undefined;
    let allDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      allDone = resolve;
    });
    const nextVersion = new Map<string, number>();
    const publishNext = (service: string) => {
      if (published >= COUNT) return;
      published += 1;
      const version = (nextVersion.get(service) ?? 0) + 1;
      nextVersion.set(service, version);
      const digest = `sha256:${published.toString(16).padStart(64, '0')}`;
      bot?.commands.publish({ service, version: `1.0.${version}`, digest }, 'U0CI').catch((error: Error) => {
        failed = error;
        allDone();
      });
    };
    const notifier: Notifier = {
      async notify(promotion, notice) {
        const { service } = promotion.artifact;
        if (notice.kind === 'approval_requested')
          setImmediate(() => {
            void bot?.commands.decide(promotion.id, 'approve', { user: APPROVER });
          });
        if (notice.kind !== 'released' && notice.kind !== 'stage_failed' && notice.kind !== 'superseded')
          return;
        finished += 1;
        if (finished >= COUNT) allDone();
        else setImmediate(() => publishNext(service));
      },
    };
    const log = pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: false }));
    bot = await startBot({
      env: loaded.env,
      role: 'all',
      pipeline: pipeline.pipeline,
      pipelineDir: workspace.dir,
      log,
      notifier,
      retentionEveryMs: 1000,
    });
    const url = (bot.url ?? '').replace('0.0.0.0', '127.0.0.1');

    const started = performance.now();
    const samples: Sample[] = [await sample(redis, started, 0)];
    const sampler = setInterval(() => {
      void sample(redis, started, finished).then(async (s) => {
        samples.push(s);
        console.error(
          `${s.seconds.toFixed(0)} s: ${s.finished} finished, ${mb(s.usedMemory)}, ${s.keys} keys`,
        );
        // Now and then, what the keys are: a pattern that keeps growing is what outlives retention.
        if (samples.length % 15 === 0)
          console.error(JSON.stringify((await countKeyPatterns(redis)).slice(0, 12)));
      });
    }, SAMPLE_EVERY_MS);
    for (const service of services) publishNext(service);
    await done;
    const publishSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    if (failed) throw failed;
    const atEnd = await sample(redis, started, finished);
    samples.push(atEnd);
    const patterns = await countKeyPatterns(redis);
    const exported = await measureExport(url);
    const section = report({
      samples,
      atEnd,
      patterns,
      exported,
      publishSeconds,
      retention: values.retention,
      auditRetention: values['audit-retention'],
    });
    console.log(section);
    await writeSection(section);
  } finally {
    await bot?.shutdown();
    steps.close();
    redis.disconnect();
    await server.stop();
    await workspace.remove();
  }
}

function report(result: {
  samples: Sample[];
  atEnd: Sample;
  patterns: Array<[string, number]>;
  exported: { events: number; bytes: number; seconds: number };
  publishSeconds: number;
  retention: string;
  auditRetention: string;
}): string {
  const { samples, exported } = result;
  // About a dozen rows of the curve, evenly spaced, with the last sample.
  const step = Math.max(1, Math.ceil(samples.length / 12));
  const rows = samples.filter((_, index) => index % step === 0 || index === samples.length - 1);
  const rate = exported.events / exported.seconds;
  const peak = Math.max(...samples.map((s) => s.usedMemory));
  return [
    BEGIN,
    '## Retention soak (`npm run bench:soak`)',
    '',
    `Run of ${new Date().toISOString()}: **${COUNT.toLocaleString('en')} promotions** (\`--count ${COUNT}\`) published and released in ${result.publishSeconds.toFixed(0)} s, ${SERVICES} services of three environments (no-op HTTP steps; each approved as it reaches the gate), one promotion in flight per service, RETENTION=${result.retention}, AUDIT_RETENTION=${result.auditRetention}, the retention pass every second, a throw-away redis-server.`,
    '',
    '| seconds | promotions finished | Redis used_memory | keys |',
    '|---|---|---|---|',
    ...rows.map((s) => `| ${s.seconds.toFixed(0)} | ${s.finished} | ${mb(s.usedMemory)} | ${s.keys} |`),
    '',
    `- peak used_memory ${mb(peak)}; at the end ${mb(result.atEnd.usedMemory)} and ${result.atEnd.keys} keys.`,
    `- keys at the end by pattern (ids, versions and the service tag as \`*\`; the 15 largest): ${result.patterns
      .slice(0, 15)
      .map(([pattern, count]) => `\`${pattern}\` ${count}`)
      .join(', ')}.`,
    `- export: GET /api/audit streamed ${exported.events} events (${mb(exported.bytes)}) in ${exported.seconds.toFixed(2)} s = **${Math.round(rate).toLocaleString('en')} events/s** (target ≥ ${EXPORT_TARGET.toLocaleString('en')}: ${rate >= EXPORT_TARGET ? 'met' : 'missed'}).`,
    ...(COUNT < 100_000
      ? [
          `- this run is the small one (\`--count ${COUNT}\`), proving the soak works; the full 100,000-promotion run (\`npm run bench:soak\`, about 15 minutes here) is still to do.`,
        ]
      : []),
    END,
  ].join('\n');
}

/** Replaces the soak's section in docs/benchmarks.md (or appends it): `npm run bench` leaves it alone. */
async function writeSection(section: string): Promise<void> {
  const text = await readFile(OUTPUT, 'utf8').catch(() => '');
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  const next =
    begin !== -1 && end > begin
      ? `${text.slice(0, begin)}${section}${text.slice(end + END.length)}`
      : `${text.trimEnd()}\n\n${section}\n`;
  await writeFile(OUTPUT, next);
  console.error(`wrote the soak's section into ${OUTPUT}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
