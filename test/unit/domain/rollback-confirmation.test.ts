import { describe, expect, it } from 'vitest';
import { refuseNonOwner } from '../../../src/domain/approval-policy.js';
import type { Phase, Promotion } from '../../../src/domain/promotion.js';
import {
  planRollback,
  type RollbackPlan,
  refuseConfirmation,
  refuseRollbackOf,
} from '../../../src/domain/rollback-confirmation.js';
import { aService } from '../../support/pipeline-builder.js';
import { inProduction, PREDECESSOR, publish, START } from './promotion-flow.js';

const service = aService();
const rollingOut = inProduction(service, PREDECESSOR).promotion;
const released: Promotion = { ...rollingOut, phase: { kind: 'released', at: START } };
const PLAN: RollbackPlan = {
  service: 'checkout',
  environment: 'production',
  promotionId: 'p-1',
  from: '1.4.0',
  to: '1.3.0',
};

function inPhase(phase: Phase): Promotion {
  return { ...rollingOut, phase };
}

describe('who may roll back', () => {
  it('lets an owner named directly or through a group, and nobody else', () => {
    expect(refuseNonOwner(service, { user: 'U0ALICE', groups: [] })).toBeUndefined();
    expect(refuseNonOwner(service, { user: 'U0BOB', groups: ['S0SREGROUP'] })).toBeUndefined();
    expect(refuseNonOwner(service, { user: 'U0MALLORY', groups: ['S0OTHER'] })).toBe(
      'only the owners of checkout may do that',
    );
  });
});

describe('which environment a rollback is for', () => {
  it('is production, named or not', () => {
    expect(refuseRollbackOf(service, undefined)).toBeUndefined();
    expect(refuseRollbackOf(service, 'production')).toBeUndefined();
  });

  it('refuses an environment before production, and says what to do instead', () => {
    expect(refuseRollbackOf(service, 'staging')).toBe(
      'rollback is for production (production); to replace a version in staging, publish or promote another',
    );
  });

  it('refuses an environment the service does not have, naming the ones it has', () => {
    expect(refuseRollbackOf(service, 'qa')).toBe(
      'checkout has no environment "qa" (environments: development, staging, production)',
    );
  });
});

describe('planRollback', () => {
  it('goes from the release running in production back to the version before it', () => {
    expect(planRollback(service, released)).toEqual({ ok: true, plan: PLAN });
  });

  it('goes from a rollout in progress back to the version it is replacing', () => {
    expect(planRollback(service, rollingOut)).toEqual({ ok: true, plan: PLAN });
  });

  it('refuses a first release, which has nothing earlier to go back to', () => {
    const first = { ...inProduction(service).promotion, phase: { kind: 'released', at: START } as const };
    expect(planRollback(service, first)).toEqual({
      ok: false,
      reason: 'checkout production has nothing earlier to go back to: 1.4.0 is its first release there',
    });
  });

  it('refuses when nothing is in production', () => {
    expect(planRollback(service, undefined)).toEqual({
      ok: false,
      reason: 'nothing of checkout is rolling out or released in production',
    });
  });

  it('refuses a promotion already rolling back, so a second rollback never starts', () => {
    const rollingBack = inPhase({
      kind: 'rolling_back',
      cause: { kind: 'manual', by: 'U0ALICE' },
      released: true,
    });
    expect(planRollback(service, rollingBack)).toEqual({
      ok: false,
      reason: 'checkout 1.4.0 is already being rolled back',
    });
  });

  it('refuses every phase that is not in production', () => {
    const notThere: Phase[] = [
      { kind: 'rolled_back', cause: { kind: 'manual', by: 'U0ALICE' } },
      { kind: 'failed', environment: 2, step: 'deploy', rollbackFailed: false },
      { kind: 'superseded', by: '1.5.0' },
      publish(service).promotion.phase,
    ];
    for (const phase of notThere) {
      expect(planRollback(service, inPhase(phase)), phase.kind).toEqual({
        ok: false,
        reason: 'checkout 1.4.0 is not in production now',
      });
    }
  });
});

describe('refuseConfirmation', () => {
  it('lets a confirmation through when it is exactly what a rollback would do now', () => {
    expect(refuseConfirmation(PLAN, { ok: true, plan: PLAN })).toBeUndefined();
  });

  it('refuses a repeated confirmation: the promotion is already rolling back', () => {
    const now = planRollback(
      service,
      inPhase({ kind: 'rolling_back', cause: { kind: 'manual', by: 'U0ALICE' }, released: true }),
    );
    expect(refuseConfirmation(PLAN, now)).toBe(
      'this confirmation is out of date (rolling back checkout production from 1.4.0 to 1.3.0): checkout 1.4.0 is already being rolled back',
    );
  });

  it('refuses a stale confirmation whose release was rolled back since (it would roll back two)', () => {
    const now = { ok: true, plan: { ...PLAN, promotionId: 'p-0', from: '1.3.0', to: '1.2.0' } } as const;
    expect(refuseConfirmation(PLAN, now)).toBe(
      'this confirmation is out of date (rolling back checkout production from 1.4.0 to 1.3.0): a rollback now would go from 1.3.0 to 1.2.0; run /rollback again to confirm that',
    );
  });

  it('refuses when any one of the named facts changed', () => {
    const changes: Partial<RollbackPlan>[] = [
      { service: 'billing' },
      { environment: 'prod' },
      { promotionId: 'p-9' },
      { from: '1.4.1' },
      { to: '1.2.9' },
    ];
    for (const change of changes) {
      expect(refuseConfirmation(PLAN, { ok: true, plan: { ...PLAN, ...change } })).toMatch(
        /^this confirmation is out of date/,
      );
    }
  });
});
