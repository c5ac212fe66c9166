// A real Prometheus for tests: Debian's `prometheus` binary on a free port, scraping the given targets every
// second, with its storage in a temp dir that goes away with it.
import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { unusedPort } from './http-server.js';
import { waitFor } from './wait-for.js';

export type PrometheusServer = {
  /** `http://127.0.0.1:<port>`: what a pipeline's `prometheus.url` names. */
  readonly url: string;
  /** SIGTERM, wait for the exit, remove the storage. Safe to call twice. */
  stop(): Promise<void>;
};

export type PrometheusOptions = {
  /** `host:port` of each service to scrape, all in one job. */
  readonly targets: readonly string[];
  readonly job?: string;
};

const BINARY = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const SCRAPE_INTERVAL = '1s';
/** Prometheus hands new targets to its scrapers every 5 s, so the first scrape comes ~5 s after the start. */
const TARGETS_UP_TIMEOUT_MS = 20_000;

const TargetsResponse = z.object({
  data: z.object({ activeTargets: z.array(z.object({ health: z.string(), scrapeUrl: z.string() })) }),
});

export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusServer> {
  await access(BINARY, constants.X_OK).catch(() => {
    throw new Error(
      `Prometheus is not installed (no executable ${BINARY}): install it with \`apt-get install -y prometheus\` ` +
        '(CI does, in .ci/run), or point PROMETHEUS_BIN at a prometheus binary',
    );
  });
  const dir = await mkdtemp(join(tmpdir(), 'pb-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  // JSON is YAML: no quoting rules to get wrong.
  await writeFile(
    config,
    JSON.stringify({
      global: { scrape_interval: SCRAPE_INTERVAL, evaluation_interval: SCRAPE_INTERVAL },
      scrape_configs: [
        { job_name: options.job ?? 'metrics-service', static_configs: [{ targets: options.targets }] },
      ],
    }),
  );
  const port = await unusedPort();
  const url = `http://127.0.0.1:${port}`;
  const prometheus = spawnPrometheus(config, join(dir, 'data'), port);
  const server = { url, stop: () => stopPrometheus(prometheus, dir) };
  try {
    await waitUntilReady(prometheus, url);
    await waitUntilTargetsUp(url, options.targets.length);
    return server;
  } catch (error) {
    await server.stop();
    throw error;
  }
}

type RunningPrometheus = { child: ChildProcess; exited: Promise<void>; hasExited(): boolean; log: string[] };

function spawnPrometheus(config: string, storage: string, port: number): RunningPrometheus {
  const child = spawn(
    BINARY,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${storage}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const log: string[] = [];
  child.stderr
    ?.setEncoding('utf8')
    .on('data', (chunk: string) => log.push(...chunk.split('\n').filter(Boolean)));
  let done = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      log.push(String(error));
      resolve();
    });
  }).then(() => {
    done = true;
  });
  // A test process that dies must not leave Prometheus running.
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  void exited.then(() => process.off('exit', kill));
  return { child, exited, hasExited: () => done, log };
}

async function waitUntilReady(prometheus: RunningPrometheus, url: string): Promise<void> {
  const outcome = await waitFor(`Prometheus at ${url} to be ready`, async () => {
    if (prometheus.hasExited()) return 'exited';
    const response = await fetch(`${url}/-/ready`).catch(() => undefined);
    return response?.ok ? 'ready' : undefined;
  });
  if (outcome === 'exited') {
    throw new Error(`Prometheus exited before it was ready:\n${prometheus.log.slice(-10).join('\n')}`);
  }
}

async function waitUntilTargetsUp(url: string, count: number): Promise<void> {
  await waitFor(
    `Prometheus at ${url} to scrape its ${count} target(s)`,
    async () => {
      const response = await fetch(`${url}/api/v1/targets?state=active`);
      const targets = TargetsResponse.parse(await response.json()).data.activeTargets;
      return targets.length === count && targets.every((target) => target.health === 'up');
    },
    TARGETS_UP_TIMEOUT_MS,
  );
}

async function stopPrometheus(prometheus: RunningPrometheus, dir: string): Promise<void> {
  if (!prometheus.hasExited()) {
    prometheus.child.kill('SIGTERM');
    const killer = setTimeout(() => prometheus.child.kill('SIGKILL'), 10_000);
    await prometheus.exited;
    clearTimeout(killer);
  }
  await rm(dir, { recursive: true, force: true });
}
