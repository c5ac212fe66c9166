// The retention soak (`npm run bench:soak [-- --count N]`): N promotions published and released through a
// three-environment pipeline of no-op HTTP steps, with a short RETENTION and AUDIT_RETENTION, against a throw-away
// redis-server. Records Redis used_memory and its key count as promotions finish (the curve should flatten once
// retention keeps pace), then the rate of GET /api/audit (events/s). Writes its section into docs/benchmarks.md.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
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
import { BENCHMARKS_FILE, writeSection } from './sections.js';

const EXPORT_TARGET = 50_000;
const EXPORT_SAMPLE = 200_000;
const EXPORT_MAX_REPEATS = 20;

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

/** `published`: versions published so far, each with the version → digest record kept for ever. */
type Sample = { seconds: number; published: number; finished: number; usedMemory: number; keys: number };

async function sample(redis: Redis, started: number, published: number, finished: number): Promise<Sample> {
  const info = await redis.info('memory');
  return {
    seconds: (performance.now() - started) / 1000,
    published,
    finished,
    usedMemory: Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN),
    keys: await redis.dbsize(),
  };
}

type Exported = { events: number; bytes: number; seconds: number; exports: number };

/**
 * The export's rate over at least EXPORT_SAMPLE events: the trail a short AUDIT_RETENTION leaves is small, and one
 * export of it would time little more than a request, so it is exported again until the sample is large enough.
 */
async function measureExportRate(url: string): Promise<Exported> {
  const total: Exported = { events: 0, bytes: 0, seconds: 0, exports: 0 };
  while (total.events < EXPORT_SAMPLE && total.exports < EXPORT_MAX_REPEATS) {
    const one = await measureExport(url);
    if (one.events === 0) break;
    total.events += one.events;
    total.bytes += one.bytes;
    total.seconds += one.seconds;
    total.exports += 1;
  }
  return total;
}

async function measureExport(url: string): Promise<Omit<Exported, 'exports'>> {
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

/** What one version → digest record costs Redis (MEMORY USAGE), averaged over up to 200 of them. */
async function versionRecordBytes(redis: Redis): Promise<number> {
  const [, keys] = await redis.scan('0', 'MATCH', '*:artifact:*', 'COUNT', 5000);
  const sizes = await Promise.all(keys.slice(0, 200).map((key) => redis.memory('USAGE', key)));
  const known = sizes.filter((size): size is number => typeof size === 'number');
  return known.length === 0 ? 0 : known.reduce((sum, size) => sum + size, 0) / known.length;
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
    const samples: Sample[] = [await sample(redis, started, 0, 0)];
    const sampler = setInterval(() => {
      void sample(redis, started, published, finished).then(async (s) => {
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
    const atEnd = await sample(redis, started, published, finished);
    const recordBytes = await versionRecordBytes(redis);
    samples.push(atEnd);
    const patterns = await countKeyPatterns(redis);
    const exported = await measureExportRate(url);
    const section = report({
      samples,
      atEnd,
      patterns,
      recordBytes,
      exported,
      publishSeconds,
      retention: values.retention,
      auditRetention: values['audit-retention'],
    });
    console.log(section);
    await writeSection('retention-soak', section);
    console.error(`wrote the soak's section into ${BENCHMARKS_FILE}`);
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
  recordBytes: number;
  exported: Exported;
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
    '## Retention soak (`npm run bench:soak`)',
    '',
    `Run of ${new Date().toISOString()}: **${COUNT.toLocaleString('en')} promotions** (\`--count ${COUNT}\`) published and released in ${result.publishSeconds.toFixed(0)} s, ${SERVICES} services of three environments (no-op HTTP steps; each approved as it reaches the gate), one promotion in flight per service, RETENTION=${result.retention}, AUDIT_RETENTION=${result.auditRetention}, the retention pass every second, a throw-away redis-server.`,
    '',
    '| seconds | promotions finished | Redis used_memory | keys | used_memory less the version records | keys less the version records |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (s) =>
        `| ${s.seconds.toFixed(0)} | ${s.finished} | ${mb(s.usedMemory)} | ${s.keys} | ${mb(s.usedMemory - s.published * result.recordBytes)} | ${s.keys - s.published} |`,
    ),
    '',
    `- peak used_memory ${mb(peak)}; at the end ${mb(result.atEnd.usedMemory)} and ${result.atEnd.keys} keys.`,
    `- what must grow is what the contract keeps for ever: one version → digest record per version published, ${Math.round(result.recordBytes)} bytes each by \`MEMORY USAGE\` (${mb(result.atEnd.published * result.recordBytes)} for ${result.atEnd.published.toLocaleString('en')}). The last two columns take them out: what is left is what retention bounds (the promotions still within RETENTION, their trail, jobs and wake-ups, and a fixed set per service), and it should stay level however many promotions have finished; it follows the publishing rate, since RETENTION is a time.`,
    `- keys at the end by pattern (ids, versions and the service tag as \`*\`; the 15 largest): ${result.patterns
      .slice(0, 15)
      .map(([pattern, count]) => `\`${pattern}\` ${count}`)
      .join(', ')}.`,
    `- export: GET /api/audit streamed ${exported.events} events (${mb(exported.bytes)}; the retained trail exported ${exported.exports} time${exported.exports === 1 ? '' : 's'}) in ${exported.seconds.toFixed(2)} s = **${Math.round(rate).toLocaleString('en')} events/s** (target ≥ ${EXPORT_TARGET.toLocaleString('en')}: ${rate >= EXPORT_TARGET ? 'met' : 'missed'}).`,
    ...(COUNT < 100_000
      ? [
          `- this run is the small one (\`--count ${COUNT}\`), proving the soak works; the full 100,000-promotion run (\`npm run bench:soak\`, about 15 minutes here) is still to do.`,
        ]
      : []),
  ].join('\n');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
