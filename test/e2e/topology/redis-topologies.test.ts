import { dirname } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEnv } from '../../../src/config/env.js';
import { loadPipelineFile } from '../../../src/config/load-pipeline.js';
import { type RunningBot, startBot } from '../../../src/main.js';
import { type FakePrometheus, startFakePrometheus } from '../../support/fake-prometheus.js';
import { uniquePrefix } from '../../support/redis.js';
import { startRedisCluster, startSentinelSetup } from '../../support/redis-topologies.js';
import { API_TOKEN, nextDigest } from '../../support/test-bot.js';
import { waitFor } from '../../support/wait-for.js';
import { createWorkspace, testPipeline, type Workspace } from '../../support/workspace.js';

// Beyond one Redis: the happy path against a three-master Redis Cluster, and against a Sentinel-managed
// primary that fails over while a step is running.

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function startOn(
  redisEnv: Record<string, string>,
): Promise<{ bot: RunningBot; workspace: Workspace; url: string }> {
  const prometheus: FakePrometheus = await startFakePrometheus();
  stops.push(() => prometheus.close());
  const workspace = await createWorkspace();
  stops.push(() => workspace.remove());
  const file = await workspace.writePipeline(testPipeline({ prometheusUrl: prometheus.url }));
  const loaded = loadEnv(
    {
      ...redisEnv,
      REDIS_PREFIX: uniquePrefix('topology'),
      PORT: '0',
      PROMOTION_API_TOKEN: API_TOKEN,
      JOB_LOCK_DURATION: '5s',
    },
    { role: 'all', demo: true },
  );
  const pipeline = await loadPipelineFile(file);
  if (!loaded.ok || !pipeline.ok) throw new Error('bad test configuration');
  const bot = await startBot({
    env: loaded.env,
    role: 'all',
    pipeline: pipeline.pipeline,
    pipelineDir: dirname(file),
    log: pino({ level: 'silent' }),
    sweepAfterMs: 1000,
    sweepEveryMs: 500,
  });
  stops.push(() => bot.shutdown());
  return { bot, workspace, url: (bot.url ?? '').replace('0.0.0.0', '127.0.0.1') };
}

type Reply = { status: number; body: { id: string; status: string } };

async function api(url: string, method: string, path: string, body?: unknown): Promise<Reply> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${API_TOKEN}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Reply['body'] };
}

function statusOf(url: string, id: string, status: string) {
  return waitFor(
    `promotion ${id} to be ${status}`,
    async () => (await api(url, 'GET', `/api/promotions/${id}`)).body.status === status,
    30_000,
  );
}

describe('promotion-bot on a Redis Cluster', () => {
  it('takes an artifact from publish to released with its keys spread over three masters', async () => {
    const cluster = await startRedisCluster();
    stops.push(() => cluster.stop());
    const { bot, url } = await startOn({ REDIS_CLUSTER_NODES: cluster.nodes });

    const published = await api(url, 'POST', '/api/artifacts', {
      service: 'checkout',
      version: '1.0.0',
      digest: nextDigest(),
    });
    expect(published.status).toBe(202);
    await statusOf(url, published.body.id, 'awaiting_approval');
    expect(await bot.commands.decide(published.body.id, 'approve', { user: 'U0CAROL' })).toMatchObject({
      ok: true,
    });
    await statusOf(url, published.body.id, 'released');
  });
});

describe('promotion-bot on a Sentinel-managed primary', () => {
  it('carries on through a failover that happens while a deploy is running', async () => {
    const sentinel = await startSentinelSetup();
    stops.push(() => sentinel.stop());
    const { bot, url, workspace } = await startOn({
      REDIS_SENTINELS: sentinel.sentinels,
      REDIS_SENTINEL_NAME: 'mymaster',
    });
    await workspace.touch('slow-deploy-staging-2.0.0');

    const published = await api(url, 'POST', '/api/artifacts', {
      service: 'checkout',
      version: '2.0.0',
      digest: nextDigest(),
    });
    expect(published.status).toBe(202);
    await waitFor('the staging deploy to start', async () =>
      (await workspace.lines('deploys.log')).some((line) => line.startsWith('staging')),
    );
    const before = await sentinel.primaryPort();
    await sentinel.failover();
    expect(await sentinel.primaryPort()).not.toBe(before);
    await workspace.touch('release-staging-2.0.0');

    await statusOf(url, published.body.id, 'awaiting_approval');
    expect(await bot.commands.decide(published.body.id, 'approve', { user: 'U0CAROL' })).toMatchObject({
      ok: true,
    });
    await statusOf(url, published.body.id, 'released');
  });
});
