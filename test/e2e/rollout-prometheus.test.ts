// The production rollout end to end against a real Prometheus: the bot's http deploy step shifts traffic in a
// service whose counters Prometheus scrapes every second, and the analysis decides from what Prometheus answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { renderMetricChartPng, toMetricChartInput } from '../../src/chart/index.js';
import { type MetricsService, startMetricsService } from '../support/metrics-service.js';
import { type PrometheusServer, startPrometheus } from '../support/prometheus-server.js';
import { nextDigest, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';
import { createWorkspace, type Workspace } from '../support/workspace.js';
import { pngSize } from '../unit/chart/svg-elements.js';

/** The index of production in the pipeline below (staging is 0). */
const PRODUCTION = 1;
const INTERVAL_MS = 1_000;
const FAILURE_LIMIT = 2;
const INCONCLUSIVE_LIMIT = 3;
const SCRAPE_INTERVAL_MS = 1_000;
/** Job scheduling, the query itself and the engine's transition, over a few checks on a shared CI machine. */
const ALLOWANCE_MS = 1_500;

type Stack = { service: MetricsService; prometheus: PrometheusServer };

let checkout: Stack;
let payments: Stack;
let workspace: Workspace;
let bot: TestBot;

async function startStack(): Promise<Stack> {
  const service = await startMetricsService();
  return { service, prometheus: await startPrometheus({ targets: [service.target] }) };
}

/** A service promoted staging -> production, deployed through `stack`'s deploy API and analysed by its Prometheus. */
function serviceYaml(name: string, { service, prometheus }: Stack): string {
  const query =
    'sum(rate(http_errors_total{version="$VERSION"}[5s])) / sum(rate(http_requests_total{version="$VERSION"}[5s]))';
  return `  ${name}:
    channel: C0DEPLOYS
    owners: [U0ALICE]
    environments:
      - name: staging
        deploy: { http: { url: '${service.url}/health' } }
      - name: production
        approval: { approvers: [U0CAROL] }
        deploy:
          http: { url: '${service.url}/deploy?version=$VERSION&weight=$WEIGHT', method: POST }
          strategy: canary
          steps: [ { weight: 20, pause: 4s }, { weight: 50, pause: 2s }, { weight: 100 } ]
        rollback: { http: { url: '${service.url}/rollback?to=$PREVIOUS_VERSION', method: POST } }
        monitor:
          interval: ${INTERVAL_MS}ms
          failureLimit: ${FAILURE_LIMIT}
          # rate() needs two scrapes of a new version, so its first check may find no data yet.
          inconclusiveLimit: ${INCONCLUSIVE_LIMIT}
          metrics:
            - name: error-rate
              prometheus: { url: '${prometheus.url}', query: '${query}' }
              max: 0.1
`;
}

beforeAll(async () => {
  // Each Prometheus takes ~5 s to scrape its first target: start both at once.
  [checkout, payments] = await Promise.all([startStack(), startStack()]);
  workspace = await createWorkspace();
  const file = await workspace.writePipeline(
    `services:\n${serviceYaml('checkout', checkout)}${serviceYaml('payments', payments)}`,
  );
  bot = await startTestBot({ pipelineFile: file });
});

afterAll(async () => {
  await bot?.shutdown();
  await Promise.all([checkout, payments].map((stack) => stack?.prometheus.stop()));
  await Promise.all([checkout, payments].map((stack) => stack?.service.close()));
  await workspace?.remove();
});

const AuditEvent = z.object({
  at: z.string(),
  type: z.string(),
  status: z.string(),
  detail: z
    .object({
      step: z
        .object({ kind: z.string(), environment: z.number(), rolloutStep: z.number().optional() })
        .optional(),
    })
    .optional(),
});

const PromotionBody = z.object({
  status: z.string(),
  phase: z.looseObject({ kind: z.string(), stage: z.looseObject({ kind: z.string() }).optional() }),
  stages: z.array(
    z.looseObject({
      samples: z
        .array(
          z.object({ at: z.string(), step: z.number(), values: z.record(z.string(), z.number().nullable()) }),
        )
        .optional(),
    }),
  ),
  events: z.array(AuditEvent),
});

async function publish(service: string, version: string): Promise<string> {
  const response = await bot.api('POST', '/api/artifacts', { service, version, digest: nextDigest() });
  expect(response.status).toBe(202);
  return z.object({ id: z.string() }).parse(response.body).id;
}

async function promotion(id: string) {
  const response = await bot.api('GET', `/api/promotions/${id}`);
  expect(response.status).toBe(200);
  return { body: response.body, ...PromotionBody.parse(response.body) };
}

function until(id: string, what: string, done: (p: Awaited<ReturnType<typeof promotion>>) => boolean) {
  return waitFor(
    `promotion ${id} ${what}`,
    async () => {
      const current = await promotion(id);
      return done(current) ? current : undefined;
    },
    30_000,
  );
}

function statusOf(id: string, status: string) {
  return until(id, `to be ${status}`, (p) => p.status === status);
}

async function approveWhenGated(id: string): Promise<void> {
  await statusOf(id, 'awaiting_approval');
  expect(await bot.commands.decide(id, 'approve', { user: 'U0CAROL' })).toMatchObject({ ok: true });
}

/** What the service's deploy API was asked to do about `version` (and every rollback). */
function changesOf(stack: Stack, version: string): string[] {
  return stack.service.changes
    .filter((change) => change.version === version || change.kind === 'rollback')
    .map((change) =>
      change.kind === 'deploy'
        ? `deploy ${change.version} at ${change.weight}%`
        : `rollback to ${change.version || '(no previous version)'}`,
    );
}

describe('a canary rollout analysed by a real Prometheus', () => {
  it('releases a healthy version, then rolls back one whose error ratio breaches max within interval x failureLimit + one scrape', async () => {
    const good = await publish('checkout', '1.0.0');
    await approveWhenGated(good);
    const released = await statusOf(good, 'released');

    expect(changesOf(checkout, '1.0.0')).toEqual([
      'deploy 1.0.0 at 20%',
      'deploy 1.0.0 at 50%',
      'deploy 1.0.0 at 100%',
    ]);
    const healthy = (released.stages[1]?.samples ?? []).map((sample) => sample.values['error-rate']);
    expect(healthy.filter((value) => value === 0).length).toBeGreaterThanOrEqual(4);
    expect(healthy.every((value) => value === 0 || value === null)).toBe(true);

    checkout.service.setErrorRatio('1.1.0', 0.5);
    const bad = await publish('checkout', '1.1.0');
    await approveWhenGated(bad);
    const rolledBack = await statusOf(bad, 'rolled_back');

    expect(rolledBack.body.phase.cause).toMatchObject({ kind: 'metric-breach', checks: FAILURE_LIMIT });
    expect(rolledBack.body.phase.cause.measurements).toMatchObject([
      { metric: 'error-rate', max: 0.1, verdict: 'breach', value: expect.closeTo(0.5, 2) },
    ]);
    expect(changesOf(checkout, '1.1.0')).toEqual(['deploy 1.1.0 at 20%', 'rollback to 1.0.0']);
    expect(checkout.service.live()).toEqual({ '1.0.0': 100 });

    const live = rolledBack.events.find(
      (event) =>
        event.type === 'stepSucceeded' &&
        event.detail?.step?.kind === 'deploy' &&
        event.detail.step.environment === PRODUCTION &&
        event.detail.step.rolloutStep === 0,
    );
    const decided = rolledBack.events.find((event) => event.status === 'rolling_back');
    const reactionMs = Date.parse(decided?.at ?? '') - Date.parse(live?.at ?? '');
    const boundMs = INTERVAL_MS * FAILURE_LIMIT + SCRAPE_INTERVAL_MS + ALLOWANCE_MS;
    console.log(`rollback ${reactionMs} ms after 1.1.0 went live (bound ${boundMs} ms)`);
    expect(reactionMs).toBeGreaterThanOrEqual(INTERVAL_MS * FAILURE_LIMIT);
    expect(reactionMs).toBeLessThanOrEqual(boundMs);

    // The notice's chart, from the checks the analysis recorded.
    const chart = renderMetricChartPng(
      toMetricChartInput({
        service: 'checkout',
        version: '1.1.0',
        measurement: rolledBack.body.phase.cause.measurements[0],
        samples: rolledBack.stages[1]?.samples ?? [],
        ...(decided ? { breachedAt: decided.at } : {}),
      }),
    );
    expect(pngSize(chart)).toEqual({ width: 720, height: 320 });
  });

  it('never passes silently when Prometheus goes down during the analysis: it rolls back as inconclusive', async () => {
    const id = await publish('payments', '7.0.0');
    await approveWhenGated(id);
    await until(
      id,
      'to analyse its canary',
      (p) => p.phase.kind === 'rolling_out' && p.phase.stage?.kind === 'analysing',
    );

    await payments.prometheus.stop();
    const rolledBack = await statusOf(id, 'rolled_back');

    expect(rolledBack.body.phase.cause).toMatchObject({ kind: 'inconclusive', checks: INCONCLUSIVE_LIMIT });
    expect(rolledBack.body.phase.cause.measurements).toMatchObject([
      {
        metric: 'error-rate',
        verdict: 'inconclusive',
        reason: expect.stringMatching(/^Prometheus did not answer: /),
      },
    ]);
    expect((rolledBack.stages[1]?.samples ?? []).map((sample) => sample.values['error-rate'])).toEqual([
      null,
      null,
      null,
    ]);
    expect(changesOf(payments, '7.0.0')).toEqual([
      'deploy 7.0.0 at 20%',
      'rollback to (no previous version)',
    ]);
  });
});
