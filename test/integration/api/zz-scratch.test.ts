import { dirname } from 'node:path';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { loadEnv } from '../../../src/config/env.js';
import { loadPipelineFile } from '../../../src/config/load-pipeline.js';
import { startBot } from '../../../src/main.js';
import { testRedisUrl, uniquePrefix } from '../../support/redis.js';
import { createWorkspace } from '../../support/workspace.js';
import { API_PIPELINE } from './api-bot.js';

it('scratch: concurrent publishes in one millisecond', async () => {
  const ws = await createWorkspace();
  const file = await ws.writePipeline(API_PIPELINE);
  const loaded = loadEnv({ REDIS_URL: testRedisUrl(), REDIS_PREFIX: uniquePrefix('scratch'), PORT: '0', PROMOTION_API_TOKEN: 'x'.repeat(20), PIPELINE_FILE: file }, { role: 'web', demo: true });
  if (!loaded.ok) throw new Error('env');
  const pipeline = await loadPipelineFile(file);
  if (!pipeline.ok) throw new Error('pipeline');
  const fixed = new Date('2026-01-01T00:00:00.000Z');
  const bot = await startBot({ env: loaded.env, role: 'web', pipeline: pipeline.pipeline, pipelineDir: dirname(file), log: pino({ level: 'silent' }), clock: { now: () => fixed } });
  const results = await Promise.all(
    ['1.0.0', '1.0.1'].map((version) =>
      bot.commands.publish({ service: 'checkout', version, digest: `sha256:${version.replaceAll('.', '').padStart(64, 'a')}` }, 'api'),
    ),
  );
  const ids = results.map((r) => ('promotion' in r ? r.promotion.id : ''));
  const after = await Promise.all(ids.map((id) => bot.engine.dryRun(id, { type: 'superseded', by: 'x' })));
  const phases = await Promise.all(ids.map(async (id) => (await fetch(`${bot.url}/api/promotions/${id}`, { headers: { authorization: `Bearer ${'x'.repeat(20)}` } }).then((r) => r.json())).phase));
  console.log(JSON.stringify(phases), after.length);
  await bot.shutdown();
  await ws.remove();
  expect(phases.length).toBe(2);
});
