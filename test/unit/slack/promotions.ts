// Hand-built promotions in the phases the renderers must show. Times are fixed: renderers have no clock.
import type { Artifact, Phase, Promotion, Stage, StepRecord } from '../../../src/domain/promotion.js';

export const T0 = '2024-03-01T09:00:00.000Z';
export const NOW = '2024-03-01T10:00:00.000Z';
export const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
export const HOSTILE = '<!channel> <@U123> <https://evil.example|click> `x` ```y``` & *bold*';

export function at(minutes: number): string {
  return new Date(Date.parse(T0) + minutes * 60_000).toISOString();
}

export function aStep(name: string, overrides: Partial<StepRecord> = {}): StepRecord {
  return { name, status: 'passed', startedAt: T0, finishedAt: at(1), durationMs: 4200, ...overrides };
}

export function aFailedStep(name: string, overrides: Partial<StepRecord> = {}): StepRecord {
  return aStep(name, {
    status: 'failed',
    exitCode: 1,
    output: ['starting', 'boom: connection refused'],
    ...overrides,
  });
}

export function aStage(
  environment: string,
  status: Stage['status'],
  steps: readonly StepRecord[] = [],
): Stage {
  const times =
    status === 'pending' ? {} : { startedAt: T0, ...(status === 'running' ? {} : { finishedAt: at(2) }) };
  return { environment, status, steps, ...times };
}

const DEV_PASSED = aStage('development', 'passed', [aStep('deploy'), aStep('smoke', { durationMs: 1100 })]);
const STAGING_PASSED = aStage('staging', 'passed', [
  aStep('deploy'),
  aStep('acceptance', { durationMs: 30_000 }),
  aStep('load', { durationMs: 125_000 }),
]);

export type PromotionOptions = {
  readonly phase?: Phase;
  readonly stages?: readonly Stage[];
  readonly artifact?: Partial<Artifact>;
  readonly approvals?: Promotion['approvals'];
  readonly createdBy?: string;
  readonly id?: string;
};

/** checkout 1.4.2 in the contract's three environments; by default running in staging. */
export function aPromotion(options: PromotionOptions = {}): Promotion {
  return {
    id: options.id ?? 'p-42',
    artifact: {
      service: 'checkout',
      version: '1.4.2',
      digest: DIGEST,
      commit: '9fceb02d0ae598e95dc970b74767f19372d61af8',
      ...options.artifact,
    },
    createdBy: options.createdBy ?? 'U0DAVE',
    createdAt: T0,
    updatedAt: at(5),
    phase: options.phase ?? { kind: 'testing', environment: 1, test: 0 },
    stages: options.stages ?? [
      DEV_PASSED,
      aStage('staging', 'running', [aStep('deploy'), aStep('acceptance', { status: 'running' })]),
      aStage('production', 'pending'),
    ],
    approvals: options.approvals ?? [],
  };
}

/** Passed development and staging; what production's stage holds is up to the test. */
export function pastStaging(production: Stage = aStage('production', 'pending')): readonly Stage[] {
  return [DEV_PASSED, STAGING_PASSED, production];
}

export function atGate(options: PromotionOptions = {}): Promotion {
  return aPromotion({
    phase: {
      kind: 'awaiting_approval',
      requestedAt: at(10),
      requestedBy: 'api',
      expiresAt: '2024-03-02T09:10:00.000Z',
    },
    stages: pastStaging(),
    ...options,
  });
}
