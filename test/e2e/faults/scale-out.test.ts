import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack, TEST_CHANNELS } from '../../support/fake-slack/index.js';
import { createFleet, type Fleet, logLines, type ServingProcess } from '../../support/faults/bot-fleet.js';
import { stepRuns, writeScalePipeline } from '../../support/faults/scale-pipeline.js';
import { testRedisUrl, uniquePrefix } from '../../support/redis.js';
import { nextDigest, startTestBot, type TestBot } from '../../support/test-bot.js';
import { waitFor } from '../../support/wait-for.js';
import { createWorkspace, serviceNames, type Workspace } from '../../support/workspace.js';

// How a team scales out: two web and two worker processes (`--role web|worker`) on one Redis. Fifty services
// publish at once through both web processes; every tenth fails in development, every tenth from the fifth is
// rejected at the gate, the rest are approved. Each step runs exactly once and each promotion ends as it should.

const COUNT = 50;
const names = serviceNames(COUNT);
const expected = (index: number): 'failed' | 'held' | 'released' =>
  index % 10 === 9 ? 'failed' : index % 10 === 4 ? 'held' : 'released';
const FINAL = new Set(['failed', 'held', 'released']);

let slack: FakeSlack;
let workspace: Workspace;
let fleet: Fleet;
let approver: TestBot;

beforeAll(async () => {
  slack = await startFakeSlack({ channels: TEST_CHANNELS, postsPerSecondPerChannel: 50 });
  workspace = await createWorkspace();
  const pipelineFile = await writeScalePipeline(workspace.dir, COUNT);
  const prefix = uniquePrefix('scale-out');
  fleet = createFleet({
    redisUrl: testRedisUrl(),
    prefix,
    pipelineFile,
    env: { SLACK_API_URL: slack.apiUrl, SLACK_POSTS_PER_SECOND: '50' },
  });
  approver = await startTestBot({ pipelineFile, role: 'web', prefix });
});

afterAll(async () => {
  await fleet?.stop();
  await approver?.shutdown();
  await slack?.close();
  await workspace?.remove();
});

type Listed = { readonly id: string; readonly service: string; readonly status: string };

describe('two web and two worker processes on one Redis', { timeout: 120_000 }, () => {
  it('take fifty promotions published at once to their end, running every step exactly once', async () => {
    const [webA, webB, ...workers] = await Promise.all([
      fleet.web(),
      fleet.web(),
      fleet.worker(),
      fleet.worker(),
    ]);
    const webs: ServingProcess[] = [webA, webB].flatMap((web) => (web ? [web] : []));
    for (const [index, name] of names.entries()) {
      if (expected(index) === 'failed') await workspace.touch(`fail-${name}-development`);
    }
    const decided = new Set<string>();
    const started = performance.now();

    const published = await Promise.all(
      names.map((service, index) =>
        webs[index % 2]?.api('POST', '/api/artifacts', { service, version: '1.0.0', digest: nextDigest() }),
      ),
    );
    expect(published.map((response) => response?.status)).toEqual(names.map(() => 202));
    const final = await waitFor(
      'every promotion to end',
      async () => {
        const listed: Listed[] = (await webs[decided.size % 2]?.api('GET', '/api/promotions'))?.body
          .promotions;
        const gates = listed.filter((p) => p.status === 'awaiting_approval' && !decided.has(p.id));
        await Promise.all(
          gates.map(async (promotion) => {
            decided.add(promotion.id);
            const reject = expected(names.indexOf(promotion.service)) === 'held';
            const result = await approver.commands.decide(promotion.id, reject ? 'reject' : 'approve', {
              user: 'U0CAROL',
              ...(reject ? { reason: 'not this week' } : {}),
            });
            expect(result.ok).toBe(true);
          }),
        );
        return listed.length === COUNT && listed.every((p) => FINAL.has(p.status)) ? listed : undefined;
      },
      120_000,
    );
    const wallMs = performance.now() - started;

    console.log(`${COUNT} promotions on 2 web + 2 worker processes: ${(wallMs / 1000).toFixed(1)} s`);
    const statuses = Object.fromEntries(final.map((p) => [p.service, p.status]));
    expect(statuses).toEqual(Object.fromEntries(names.map((name, index) => [name, expected(index)])));
    const runs = await stepRuns(workspace.dir);
    for (const [index, name] of names.entries()) {
      const production = expected(index) === 'released' ? 1 : 0;
      expect(runs.filter((line) => line === `${name} development 1.0.0 weight=100`)).toHaveLength(1);
      expect(runs.filter((line) => line === `${name} production 1.0.0 weight=100`)).toHaveLength(production);
    }
    expect(runs).toHaveLength(COUNT + names.filter((_, index) => expected(index) === 'released').length);
    for (const worker of workers) {
      expect(logLines(worker).filter((line) => line.msg === 'step started').length).toBeGreaterThan(0);
    }
  });
});
