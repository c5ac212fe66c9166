import { describe, expect, it } from 'vitest';
import { NO_RESTRICTIONS, type Restrictions } from '../../../src/domain/entering.js';
import type { FreezeWindow } from '../../../src/domain/freeze.js';
import type { Pipeline, Service } from '../../../src/domain/pipeline.js';
import type { Hold } from '../../../src/domain/promotion.js';
import {
  type EnvironmentPlan,
  type PlanInput,
  type PromotionPlan,
  planPromotion,
  type RunningNow,
} from '../../../src/domain/promotion-plan.js';
import {
  aBlueGreenDeploy,
  aDeploy,
  anEnvironment,
  anHttpStep,
  aProduction,
  aRunStep,
  aService,
  aTest,
  HOUR,
  MINUTE,
} from '../../support/pipeline-builder.js';
import { atTheGate, publish as publishFlow, START } from './promotion-flow.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const OTHER = `sha256:${'b'.repeat(64)}`;
const NOW = new Date(START);
const checkout = aService();
const pipelineOf = (...services: Service[]): Pipeline => ({
  services: new Map(services.map((service) => [service.name, service])),
});

function planOf(overrides: Partial<PlanInput> = {}): PromotionPlan {
  const result = planPromotion({
    pipeline: pipelineOf(checkout),
    artifact: { service: 'checkout', version: '1.4.2', digest: DIGEST },
    restrictions: NO_RESTRICTIONS,
    running: [],
    at: NOW,
    ...overrides,
  });
  if (result.kind !== 'plan') throw new Error(result.message);
  return result.plan;
}

function environment(plan: PromotionPlan, name: string): EnvironmentPlan {
  const found = plan.environments.find((e) => e.name === name);
  if (!found) throw new Error(`no ${name} in the plan`);
  return found;
}

const restricted = (holds: readonly Hold[], rolledBack?: string): Restrictions => ({
  holds,
  ...(rolledBack ? { rolledBack } : {}),
});
const hold = (environment: string | undefined, reason: string): Hold => ({
  ...(environment ? { environment } : {}),
  reason,
  by: 'U0ALICE',
  at: START,
});

describe('what publishing would do', () => {
  it('refuses a service the pipeline does not have, naming the known ones', () => {
    const result = planPromotion({
      pipeline: pipelineOf(checkout),
      artifact: { service: 'billing', version: '1.0.0', digest: DIGEST },
      restrictions: NO_RESTRICTIONS,
      running: [],
      at: NOW,
    });

    expect(result).toEqual({
      kind: 'unknown-service',
      message: 'unknown service "billing" (known: checkout)',
    });
  });

  it('starts a new promotion for a version never published', () => {
    expect(planOf().outcome).toEqual({ kind: 'new' });
  });

  it('answers with the promotion it already is for the identical artifact, saying where it is', () => {
    const atGate = atTheGate(checkout).promotion;

    const plan = planOf({ published: { digest: DIGEST, promotionId: atGate.id, promotion: atGate } });

    expect(plan.outcome).toEqual({
      kind: 'existing',
      promotionId: atGate.id,
      status: 'awaiting_approval',
      environment: 'production',
      where: 'waiting for approval for production',
    });
  });

  it('still knows the version was published once its promotion is gone (past RETENTION)', () => {
    expect(planOf({ published: { digest: DIGEST, promotionId: 'gone-1' } }).outcome).toEqual({
      kind: 'existing',
      promotionId: 'gone-1',
    });
  });

  it('is refused when the version was published with another digest: versions are immutable', () => {
    const plan = planOf({ published: { digest: OTHER, promotionId: 'p-9' } });

    expect(plan.outcome).toEqual({
      kind: 'conflict',
      promotionId: 'p-9',
      digest: OTHER,
      message: `checkout 1.4.2 was already published with digest ${OTHER} (promotion p-9); versions are immutable: publish a new version`,
    });
  });

  it('plans a version asked for by name with the digest it was published with, or says it was never published', () => {
    const byName = { service: 'checkout', version: '1.4.2' };

    expect(planOf({ artifact: byName, published: { digest: DIGEST, promotionId: 'p-1' } })).toMatchObject({
      digest: DIGEST,
      outcome: { kind: 'existing', promotionId: 'p-1' },
    });
    const unpublished = planOf({ artifact: byName });
    expect(unpublished.outcome).toEqual({ kind: 'unpublished' });
    expect(unpublished).not.toHaveProperty('digest');
  });

  it('names the artifact as planned, with its commit and url but not its notes, and when', () => {
    const plan = planOf({
      artifact: {
        service: 'checkout',
        version: '1.4.2',
        digest: DIGEST,
        commit: 'abc1234',
        url: 'https://ci.example.com/1',
        ...{ notes: 'not part of a plan' },
      },
    });

    expect(plan).toMatchObject({
      service: 'checkout',
      version: '1.4.2',
      digest: DIGEST,
      commit: 'abc1234',
      url: 'https://ci.example.com/1',
      at: START,
    });
    expect(plan).not.toHaveProperty('notes');
  });
});

describe('each environment of the plan', () => {
  it('lists the environments in order, only the last as production', () => {
    const plan = planOf();

    expect(plan.environments.map((e) => [e.name, e.production])).toEqual([
      ['development', false],
      ['staging', false],
      ['production', true],
    ]);
  });

  it('gives its deploy, its tests and how it moves on', () => {
    const staging = environment(planOf(), 'staging');

    expect(staging).toMatchObject({
      deploy: {
        kind: 'run',
        command: './deploy.sh',
        strategy: 'all-at-once',
        timeoutMs: 5 * MINUTE,
        retries: 0,
      },
      tests: [
        { name: 'acceptance', kind: 'run', command: './acceptance.sh' },
        { name: 'load', kind: 'run', command: './load.sh' },
      ],
      promote: 'auto',
    });
    expect(staging).not.toHaveProperty('gate');
    expect(staging).not.toHaveProperty('rollout');
  });

  it('says an environment waits for /promote when its promote is manual', () => {
    const service = aService({
      environments: [anEnvironment('staging', { promote: 'manual' }), aProduction()],
    });

    expect(environment(planOf({ pipeline: pipelineOf(service) }), 'staging').promote).toBe('manual');
  });

  it('gives production its gate, its rollout steps with their analysis, the monitor and the way back', () => {
    const production = environment(planOf(), 'production');

    expect(production.gate).toEqual({
      approvers: ['U0CAROL', 'S0RELEASE'],
      required: 1,
      allowSelfApproval: false,
      expiresAfterMs: 24 * HOUR,
    });
    expect(production.deploy.strategy).toBe('canary');
    expect(production.rollout).toEqual({
      steps: [
        { weight: 10, analysisMs: 5 * MINUTE, label: 'canary 10%' },
        { weight: 50, analysisMs: 10 * MINUTE, label: 'canary 50%' },
        { weight: 100, analysisMs: 0, label: 'full rollout' },
      ],
      expectedMs: 15 * MINUTE,
    });
    expect(production.monitor).toEqual({
      intervalMs: 30_000,
      failureLimit: 2,
      inconclusiveLimit: 2,
      metrics: [{ name: 'error-rate', max: 0.01 }],
    });
    expect(production.rollback).toMatchObject({ kind: 'run', command: './rollback.sh' });
    expect(production).not.toHaveProperty('promote');
  });

  it('deploys the blue-green colour that is idle now', () => {
    const service = aService({
      environments: [anEnvironment('development'), aProduction({ deploy: aBlueGreenDeploy() })],
    });
    const green: RunningNow = {
      version: '1.4.1',
      digest: OTHER,
      promotionId: 'p-0',
      since: START,
      color: 'green',
    };

    const idle = environment(
      planOf({ pipeline: pipelineOf(service), running: [undefined, green] }),
      'production',
    );
    const first = environment(planOf({ pipeline: pipelineOf(service) }), 'production');

    expect(idle.rollout?.steps.map((step) => step.label)).toEqual(['deploy blue', 'switch to blue']);
    expect(first.rollout?.steps.map((step) => step.label)).toEqual(['deploy blue', 'switch to blue']);
    expect(
      environment(
        planOf({ pipeline: pipelineOf(service), running: [undefined, { ...green, color: 'blue' }] }),
        'production',
      ).rollout?.steps[0]?.label,
    ).toBe('deploy green');
  });

  it('redeploys the previous version when production has no rollback step, and leaves out a missing monitor', () => {
    const service = aService({
      environments: [aProduction({ rollback: undefined, monitor: undefined, deploy: aDeploy() })],
    });

    const production = environment(planOf({ pipeline: pipelineOf(service) }), 'production');

    expect(production.rollback).toEqual({ kind: 'redeploy-previous' });
    expect(production).not.toHaveProperty('monitor');
    expect(production.rollout).toEqual({
      steps: [{ weight: 100, analysisMs: 0, label: 'deploy' }],
      expectedMs: 0,
    });
  });

  it('shows an http step by its method and address, never its headers, credentials or query', () => {
    const step = anHttpStep('https://deployer:s3cret@deploy.internal/v1/$SERVICE?token=abc#x', {
      headers: { authorization: 'Bearer s3cret' },
    });
    const service = aService({
      environments: [
        anEnvironment('development', { deploy: aDeploy({ step }), tests: [aTest('smoke', step)] }),
        aProduction(),
      ],
    });

    const development = environment(planOf({ pipeline: pipelineOf(service) }), 'development');

    expect(development.deploy).toEqual({
      kind: 'http',
      method: 'POST',
      url: 'https://deploy.internal/v1/$SERVICE',
      timeoutMs: MINUTE,
      retries: 0,
      strategy: 'all-at-once',
    });
    expect(JSON.stringify(development)).not.toContain('s3cret');
    expect(JSON.stringify(development)).not.toContain('token=abc');
  });

  it('gives a run step its whole command and its retries', () => {
    const service = aService({
      environments: [
        anEnvironment('development', {
          deploy: aDeploy({
            step: aRunStep('./deploy.sh', { command: ['./deploy.sh', '--fast'], retries: 2 }),
          }),
        }),
        aProduction(),
      ],
    });

    expect(environment(planOf({ pipeline: pipelineOf(service) }), 'development').deploy).toMatchObject({
      command: './deploy.sh --fast',
      retries: 2,
    });
  });

  it('says what runs there now, and nothing for an environment never deployed', () => {
    const running: RunningNow = { version: '1.4.1', digest: OTHER, promotionId: 'p-0', since: START };

    const plan = planOf({ running: [running, undefined, undefined] });

    expect(environment(plan, 'development').running).toEqual(running);
    expect(environment(plan, 'staging')).not.toHaveProperty('running');
  });

  it('gives the soak an environment has, and none where it has none', () => {
    const soaking = { ...anEnvironment('staging'), soakMs: HOUR };
    const service = aService({ environments: [anEnvironment('development'), soaking, aProduction()] });

    const plan = planOf({ pipeline: pipelineOf(service) });

    expect(environment(plan, 'staging').soakMs).toBe(HOUR);
    expect(environment(plan, 'development')).not.toHaveProperty('soakMs');
  });
});

describe('holds, freezes and quarantine in the plan', () => {
  it('lists an environment’s own hold before the whole service’s, and the first is what stops it', () => {
    const own = hold('staging', 'db migration');
    const everywhere = hold(undefined, 'incident 42');

    const plan = planOf({ restrictions: restricted([everywhere, own]) });

    expect(environment(plan, 'staging').holds).toEqual([own, everywhere]);
    expect(environment(plan, 'staging').blockedBy).toEqual(own);
    expect(environment(plan, 'development').holds).toEqual([everywhere]);
    expect(plan.stopsAt).toEqual({ environment: 'development', hold: everywhere });
  });

  it('stops at the first held environment, and nowhere with no holds', () => {
    const plan = planOf({ restrictions: restricted([hold('production', 'quarter end')]) });

    expect(environment(plan, 'staging')).not.toHaveProperty('blockedBy');
    expect(plan.stopsAt?.environment).toBe('production');
    expect(planOf()).not.toHaveProperty('stopsAt');
  });

  const yearEnd: FreezeWindow = {
    name: 'year-end',
    environments: ['production'],
    schedule: { kind: 'once', from: '2024-02-28T00:00:00.000Z', until: '2024-03-04T00:00:00.000Z' },
  };
  const weekend: FreezeWindow = {
    name: 'weekend',
    environments: ['production', 'staging'],
    schedule: { kind: 'recurring', cron: '0 18 * * FRI', durationMs: 62 * HOUR, timezone: 'UTC' },
  };
  const farAway: FreezeWindow = {
    name: 'next-year',
    environments: ['production'],
    schedule: { kind: 'once', from: '2025-12-21T00:00:00.000Z', until: '2026-01-04T00:00:00.000Z' },
  };
  const frozen = aService({ freezes: [yearEnd, weekend, farAway] });

  it('gives the freeze windows open now with when they end, and the next openings within two weeks', () => {
    // 2024-03-01 is a Friday, 09:00 UTC: the weekend window opens at 18:00.
    const plan = planOf({ pipeline: pipelineOf(frozen) });

    expect(environment(plan, 'production').freezes).toEqual({
      open: [{ name: 'year-end', opensAt: '2024-02-28T00:00:00.000Z', endsAt: '2024-03-04T00:00:00.000Z' }],
      next: [{ name: 'weekend', opensAt: '2024-03-01T18:00:00.000Z', endsAt: '2024-03-04T08:00:00.000Z' }],
    });
    expect(environment(plan, 'staging').freezes.open).toEqual([]);
    expect(environment(plan, 'staging').freezes.next.map((f) => f.name)).toEqual(['weekend']);
    expect(environment(plan, 'development').freezes).toEqual({ open: [], next: [] });
  });

  it('is stopped by an open freeze window as a hold that names it and lifts itself when it ends', () => {
    const plan = planOf({ pipeline: pipelineOf(frozen) });

    expect(plan.stopsAt).toEqual({
      environment: 'production',
      hold: {
        environment: 'production',
        reason: 'freeze window "year-end"',
        by: 'promotion-bot',
        at: START,
        until: '2024-03-04T00:00:00.000Z',
        freeze: 'year-end',
      },
    });
  });

  it('puts a person’s hold before a freeze window', () => {
    const person = hold('production', 'incident');

    expect(
      planOf({ pipeline: pipelineOf(frozen), restrictions: restricted([person]) }).stopsAt?.hold,
    ).toEqual(person);
  });

  it('keeps a rolled-back digest out of production, saying why', () => {
    const plan = planOf({ restrictions: restricted([], 'error-rate 5% > 1%') });

    expect(plan.quarantine).toBe('error-rate 5% > 1%');
    expect(plan.stopsAt?.environment).toBe('production');
    expect(plan.stopsAt?.hold.reason).toContain("1.4.2's digest was rolled back (error-rate 5% > 1%)");
    expect(environment(plan, 'staging')).not.toHaveProperty('blockedBy');
  });

  it('lifts the quarantine for a forced promotion, asked for or already forced', () => {
    const forcedNow = planOf({ restrictions: restricted([], 'bad'), forcedBy: 'U0CAROL' });
    const forcedBefore = publishFlow(checkout).promotion;

    const already = planOf({
      restrictions: restricted([], 'bad'),
      published: {
        digest: DIGEST,
        promotionId: forcedBefore.id,
        promotion: { ...forcedBefore, forcedBy: 'U0CAROL' },
      },
    });

    for (const plan of [forcedNow, already]) {
      expect(plan).not.toHaveProperty('quarantine');
      expect(plan).not.toHaveProperty('stopsAt');
    }
  });
});
