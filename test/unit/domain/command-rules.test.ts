import { describe, expect, it } from 'vitest';
import {
  refuseForce,
  releasedByUnhold,
  resolveEnvironment,
  rollbackTargetOf,
} from '../../../src/domain/command-rules.js';
import type { Phase, Promotion } from '../../../src/domain/promotion.js';
import { aService } from '../../support/pipeline-builder.js';
import { inProduction, PREDECESSOR, publish, START } from './promotion-flow.js';

const service = aService();
const approvers = service.environments.at(-1)?.approval?.approvers ?? [];
const base = inProduction(service, PREDECESSOR).promotion;

function inPhase(phase: Phase, id = base.id): Promotion {
  return { ...base, id, phase };
}

describe('naming an environment', () => {
  it('finds it by name, means production when none is named, and lists the real ones otherwise', () => {
    expect(resolveEnvironment(service, 'development')).toEqual({ index: 0 });
    expect(resolveEnvironment(service, undefined)).toEqual({ index: service.environments.length - 1 });
    expect(resolveEnvironment(service, 'prod')).toEqual({
      refusal: `checkout has no environment "prod" (environments: ${service.environments.map((e) => e.name).join(', ')})`,
    });
  });
});

describe('forcing a promotion to start again', () => {
  const ended = inPhase({ kind: 'rolled_back', cause: { kind: 'manual', by: 'U0ALICE' } });
  const approver = { user: approvers[0] ?? 'U0NOBODY', groups: [] };

  it('is for production’s approvers, named directly or through a group', () => {
    expect(refuseForce(service, ended, { user: 'U0X', groups: ['S0RELEASE'] })).toBeUndefined();
    expect(approvers.length).toBeGreaterThan(0);
    expect(refuseForce(service, ended, approver)).toBeUndefined();
    expect(refuseForce(service, ended, { user: 'U0MALLORY', groups: [] })).toBe(
      'only approvers of checkout production may force a promotion',
    );
  });

  it('only restarts a promotion that has ended', () => {
    const moving = publish(service).promotion;
    expect(refuseForce(service, moving, approver)).toMatch(
      /^1\.4\.0 is still queued for development: --force only restarts a promotion that has ended$/,
    );
  });
});

describe('releasing a hold', () => {
  const blockedAt = (environment: number, id: string) =>
    inPhase({ kind: 'blocked', environment, hold: { reason: 'freeze', by: 'U0ALICE', at: START } }, id);

  it('lets go the promotions blocked at the environment named, or at any when none is', () => {
    const active = [blockedAt(1, 'p-staging'), blockedAt(2, 'p-production'), base];
    expect(releasedByUnhold(service, active, 'staging')).toEqual([
      { promotionId: 'p-staging', environment: 1 },
    ]);
    expect(releasedByUnhold(service, active, undefined)).toEqual([
      { promotionId: 'p-staging', environment: 1 },
      { promotionId: 'p-production', environment: 2 },
    ]);
    expect(releasedByUnhold(service, active, 'development')).toEqual([]);
  });
});

describe('what a rollback acts on', () => {
  it('is the promotion rolling out now, else the release running in production, else nothing', () => {
    const running = inPhase({ kind: 'released', at: START }, 'p-released');
    const rolling = base.phase.kind === 'rolling_out' ? base : undefined;
    expect(rolling).toBeDefined();
    expect(rollbackTargetOf([running, base], running)).toBe(base);
    expect(rollbackTargetOf([running], running)).toBe(running);
    expect(rollbackTargetOf([], undefined)).toBeUndefined();
  });
});
