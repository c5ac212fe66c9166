import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotProcess, spawnBot } from '../support/bot-process.js';
import { type FakePrometheus, startFakePrometheus } from '../support/fake-prometheus.js';
import { testRedisUrl } from '../support/redis.js';
import { nextDigest, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';
import { createWorkspace, testPipeline, type Workspace } from '../support/workspace.js';

// A worker process is killed with SIGKILL in the middle of a deploy. Its job's lock expires, another worker
// takes the job over, stops the step the dead worker left running, runs it again, and the promotion completes.

let prometheus: FakePrometheus;
let workspace: Workspace;
let web: TestBot;
const workers: BotProcess[] = [];

beforeAll(async () => {
  prometheus = await startFakePrometheus();
  workspace = await createWorkspace();
  const pipelineFile = await workspace.writePipeline(testPipeline({ prometheusUrl: prometheus.url }));
  web = await startTestBot({ pipelineFile, role: 'web', lockDuration: '2s' });
});

afterAll(async () => {
  for (const worker of workers) worker.child.kill('SIGKILL');
  if (process.env.DEBUG_WORKERS) for (const w of workers) console.log(w.output());
  await web?.shutdown();
  await prometheus?.close();
  await workspace?.remove();
});

function startWorker(): BotProcess {
  const worker = spawnBot(['start', '--role', 'worker'], {
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: web.prefix,
    PIPELINE_FILE: `${workspace.dir}/pipeline.yml`,
    JOB_LOCK_DURATION: '2s',
  });
  workers.push(worker);
  return worker;
}

describe('a worker killed mid-step', () => {
  it('has its step taken over by another worker, never running twice at once, and the promotion completes', async () => {
    await workspace.touch('slow-deploy-staging-4.0.0');
    const first = startWorker();
    const published = await web.api('POST', '/api/artifacts', {
      service: 'checkout',
      version: '4.0.0',
      digest: nextDigest(),
    });
    expect(published.status).toBe(202);
    const id: string = published.body.id;
    const started = await waitFor('the staging deploy to start', async () => {
      const lines = await workspace.lines('deploys.log');
      return lines.includes('staging 4.0.0 weight=100 previous= color=') ? lines : undefined;
    });
    expect(started).toHaveLength(2);

    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    startWorker();

    await waitFor('the second worker to run the deploy again', async () => {
      const lines = await workspace.lines('deploys.log');
      return lines.filter((line) => line.startsWith('staging 4.0.0')).length === 2;
    });
    await workspace.touch('release-staging-4.0.0');
    await waitFor(
      'the gate',
      async () => (await web.api('GET', `/api/promotions/${id}`)).body.status === 'awaiting_approval',
    );
    expect((await web.commands.decide(id, 'approve', { user: 'U0CAROL' })).ok).toBe(true);
    await waitFor(
      'the release',
      async () => (await web.api('GET', `/api/promotions/${id}`)).body.status === 'released',
    );

    const lines = await workspace.lines('deploys.log');
    expect(lines.filter((line) => line.startsWith('CONCURRENT'))).toEqual([]);
    expect(lines.filter((line) => line.startsWith('production 4.0.0'))).toHaveLength(3);
  });
});
