import { describe, expect, it } from 'vitest';
import type { Hold } from '../../../src/domain/promotion.js';
import { environmentOf, statusOf } from '../../../src/domain/promotion-view.js';
import {
  aDeploy,
  anApproval,
  anEnvironment,
  aProduction,
  aService,
  aServiceWithProduction,
} from '../../support/pipeline-builder.js';
import {
  approve,
  atTheGate,
  attempt,
  deployStep,
  drive,
  effectsOfType,
  entered,
  expire,
  failed,
  held,
  inProduction,
  noticesIn,
  passing,
  publish,
  reject,
  restricted,
  rollbackRequested,
  START,
  succeeded,
  supersededBy,
  testStep,
  unheld,
} from './promotion-flow.js';

describe('holds', () => {
  it('blocks a promotion that finds its environment on hold', () => {
    const flow = drive(publish(), held(0, 'change freeze', 'U0ALICE'));

    expect(flow.promotion.phase).toMatchObject({
      kind: 'blocked',
      environment: 0,
      hold: { reason: 'change freeze', by: 'U0ALICE' },
    });
    expect(statusOf(flow.promotion.phase)).toBe('held');
    expect(flow.promotion.stages[0]?.status).toBe('held');
    const notice = effectsOfType(flow.effects, 'notify')[0]?.notice;
    expect(notice).toEqual({
      kind: 'held',
      environment: 'development',
      by: 'U0ALICE',
      reason: 'change freeze',
    });
  });

  it('runs nothing while blocked', () => {
    const flow = drive(publish(), held(0));

    expect(effectsOfType(flow.effects, 'runStep')).toEqual([]);
    expect(effectsOfType(flow.effects, 'enterEnvironment')).toEqual([]);
  });

  it('asks to enter the environment again when the hold is released', () => {
    const flow = drive(publish(), held(0), unheld(0, 'U0BOB'));

    expect(flow.promotion.phase).toEqual({ kind: 'entering', environment: 0 });
    expect(flow.promotion.stages[0]?.status).toBe('pending');
    expect(flow.effects).toContainEqual({ type: 'enterEnvironment', environment: 0 });
    expect(effectsOfType(flow.effects, 'notify')[0]?.notice).toEqual({
      kind: 'hold_released',
      environment: 'development',
      by: 'U0BOB',
    });
  });

  it('deploys normally once a released hold lets it in', () => {
    const flow = drive(publish(), held(0), unheld(0), entered(0));

    expect(flow.promotion.phase).toEqual({ kind: 'deploying', environment: 0 });
    expect(flow.promotion.stages[0]?.status).toBe('running');
  });

  it('does not show a finish time on a stage that is running again after a hold', () => {
    const flow = drive(publish(), held(0), unheld(0), entered(0));

    expect(flow.promotion.stages[0]?.finishedAt).toBeUndefined();
  });

  it('can be held again after a release', () => {
    const flow = drive(publish(), held(0), unheld(0), held(0, 'still frozen'));

    expect(flow.promotion.phase).toMatchObject({ kind: 'blocked', hold: { reason: 'still frozen' } });
  });

  it('refuses a hold release for another environment', () => {
    const flow = drive(publish(), held(0));

    expect(attempt(flow, unheld(1)).ok).toBe(false);
  });

  it('refuses a hold for an environment the promotion is not entering', () => {
    expect(attempt(publish(), held(1)).ok).toBe(false);
  });

  it('blocks an approved promotion at production and asks for approval again once the hold is lifted', () => {
    const blocked = drive(atTheGate(), approve(), held(2, 'incident'));
    const back = drive(blocked, unheld(2));

    expect(blocked.promotion.phase).toMatchObject({ kind: 'blocked', environment: 2 });
    expect(back.promotion.phase.kind).toBe('awaiting_approval');
    expect(back.promotion.approvals).toEqual([]);
    expect(noticesIn(back.effects)).toEqual(['hold_released', 'approval_requested']);
    const rolling = drive(back, approve(), entered(2));
    expect(rolling.promotion.phase).toMatchObject({ kind: 'rolling_out', step: 0 });
  });

  it('says to unhold first when a blocked promotion is promoted', () => {
    const transition = attempt(drive(publish(), held(0, 'freeze')), {
      type: 'promoteRequested',
      by: 'U0ALICE',
    });

    expect(transition.ok ? '' : transition.reason).toContain('/unhold');
  });
});

describe('superseding a promotion', () => {
  it('leaves an approved promotion on its way into production alone, held there or not', () => {
    const approved = drive(atTheGate(), approve());
    const heldAtProduction = drive(approved, held(2, 'freeze'));

    for (const flow of [approved, heldAtProduction]) {
      const transition = attempt(flow, supersededBy('1.5.0'));
      expect(transition).toEqual({ ok: false, reason: expect.stringContaining('approved for production') });
    }
  });

  it('withdraws a promotion that is still asking for an environment', () => {
    const flow = drive(publish(), supersededBy('1.5.0'));

    expect(flow.promotion.phase).toEqual({
      kind: 'superseded',
      by: '1.5.0',
      was: { kind: 'entering', environment: 0 },
    });
    expect(statusOf(flow.promotion.phase)).toBe('superseded');
    expect(flow.effects).toContainEqual({ type: 'leaveEnvironment', environment: 0 });
    expect(effectsOfType(flow.effects, 'notify')[0]?.notice).toEqual({ kind: 'superseded', by: '1.5.0' });
  });

  it('withdraws from the staging queue when superseded on the way to staging', () => {
    const flow = drive(publish(), ...passing(aService(), 0), supersededBy());

    expect(flow.effects).toContainEqual({ type: 'leaveEnvironment', environment: 1 });
  });

  it('keeps the environment while a deploy is in flight', () => {
    const flow = drive(publish(), entered(0), supersededBy('1.5.0'));

    expect(flow.promotion.phase).toEqual({
      kind: 'superseded',
      by: '1.5.0',
      draining: 0,
      was: { kind: 'deploying', environment: 0 },
    });
    expect(effectsOfType(flow.effects, 'leaveEnvironment')).toEqual([]);
  });

  it('keeps the environment while a test is in flight', () => {
    const service = aService();
    const flow = drive(
      publish(service),
      ...passing(service, 0),
      entered(1),
      succeeded(deployStep(1)),
      supersededBy(),
    );

    expect(flow.promotion.phase).toMatchObject({ kind: 'superseded', draining: 1 });
  });

  it('only frees the environment when the in-flight test reports', () => {
    const flow = drive(
      publish(),
      entered(0),
      succeeded(deployStep(0)),
      supersededBy(),
      succeeded(testStep(0, 0)),
    );

    // Drained, it still says where it stopped.
    expect(flow.promotion.phase).toEqual({
      kind: 'superseded',
      by: '1.5.0',
      was: { kind: 'testing', environment: 0, test: 0 },
    });
    expect(flow.effects).toEqual([{ type: 'leaveEnvironment', environment: 0 }]);
  });

  it('only frees the environment when the in-flight step fails', () => {
    const flow = drive(publish(), entered(0), supersededBy(), failed(deployStep(0)));

    expect(flow.promotion.phase).toEqual({
      kind: 'superseded',
      by: '1.5.0',
      was: { kind: 'deploying', environment: 0 },
    });
    expect(flow.effects).toEqual([{ type: 'leaveEnvironment', environment: 0 }]);
  });

  it('records what an in-flight deploy put in the environment and frees it, running nothing else', () => {
    const flow = drive(publish(), entered(0), supersededBy(), succeeded(deployStep(0)));

    expect(flow.promotion.phase).toMatchObject({ kind: 'superseded', by: '1.5.0' });
    expect(flow.promotion.phase).not.toHaveProperty('draining');
    expect(flow.effects).toContainEqual({ type: 'leaveEnvironment', environment: 0 });
    expect(
      typesOfEffects(flow.effects).every(
        (type) => type === 'leaveEnvironment' || type === 'recordDeployment',
      ),
    ).toBe(true);
  });

  it('refuses a second report once the environment has been freed', () => {
    const drained = drive(publish(), entered(0), supersededBy(), succeeded(deployStep(0)));

    expect(attempt(drained, succeeded(deployStep(0))).ok).toBe(false);
  });

  it('refuses a report from another environment while draining', () => {
    const draining = drive(publish(), entered(0), supersededBy());

    expect(attempt(draining, succeeded(deployStep(1))).ok).toBe(false);
  });

  it('supersedes a promotion waiting for a manual promote', () => {
    const service = aService({
      environments: [
        anEnvironment('development', { promote: 'manual' }),
        anEnvironment('staging'),
        aProduction(),
      ],
    });
    const flow = drive(publish(service), ...passing(service, 0), supersededBy());

    expect(flow.promotion.phase).toEqual({
      kind: 'superseded',
      by: '1.5.0',
      was: { kind: 'waiting', environment: 0 },
    });
    expect(effectsOfType(flow.effects, 'leaveEnvironment')).toEqual([]);
  });

  it('supersedes a blocked promotion', () => {
    const flow = drive(publish(), held(0), supersededBy());

    expect(flow.promotion.phase).toMatchObject({
      kind: 'superseded',
      by: '1.5.0',
      was: { kind: 'blocked', environment: 0 },
    });
  });

  it('supersedes a promotion at the gate, which then refuses decisions', () => {
    const flow = drive(atTheGate(), supersededBy('1.5.0'));

    expect(flow.promotion.phase).toMatchObject({
      kind: 'superseded',
      by: '1.5.0',
      was: { kind: 'awaiting_approval' },
    });
    expect(noticesIn(flow.effects)).toEqual(['superseded']);
    const decision = attempt(flow, approve());
    expect(decision.ok ? '' : decision.reason).toContain('superseded by a newer version (1.5.0)');
  });

  it('supersedes a rejected promotion and one whose approval expired', () => {
    const gate = atTheGate();

    const rejected = drive(gate, reject(), supersededBy()).promotion;
    const expired = drive(gate, expire(gate.now), supersededBy()).promotion;

    // Who rejected it and why stays with it, and it stopped at production's gate, not in staging.
    expect(rejected.phase).toMatchObject({ kind: 'superseded', was: { kind: 'rejected', by: 'U0CAROL' } });
    expect(expired.phase).toMatchObject({ kind: 'superseded', was: { kind: 'approval_expired' } });
    expect(environmentOf(rejected, aService())).toBe('production');
    expect(environmentOf(expired, aService())).toBe('production');
  });

  it('refuses to supersede a promotion rolling out in production', () => {
    const transition = attempt(inProduction(), supersededBy());

    expect(transition.ok).toBe(false);
    expect(transition.ok ? '' : transition.reason).toContain('cannot be superseded');
  });

  it('refuses to supersede a released, failed, rolled back or already superseded promotion', () => {
    const allAtOnce = aService({
      environments: [anEnvironment('development'), aProduction({ deploy: aDeploy(), monitor: undefined })],
    });
    const released = drive(inProduction(allAtOnce), succeeded(deployStep(1, 0)));
    const failedFlow = drive(publish(), entered(0), failed(deployStep(0)));
    const rolledBack = drive(
      inProduction(),
      rollbackRequested(),
      succeeded({ kind: 'rollback', environment: 2 }),
    );
    const superseded = drive(publish(), supersededBy());

    expect(released.promotion.phase.kind).toBe('released');
    for (const flow of [released, failedFlow, rolledBack, superseded]) {
      expect(attempt(flow, supersededBy('2.0.0')).ok).toBe(false);
    }
  });
});

function typesOfEffects(effects: ReturnType<typeof drive>['effects']): string[] {
  return effects.map((effect) => effect.type);
}

describe('holds before the production gate', () => {
  const production = 2;
  const productionHold: Hold = { environment: 'production', reason: 'incident 42', by: 'U0ALICE', at: START };
  const staging = 1;

  it('stops a promotion before the gate while production is held: no approval is asked for', () => {
    const flow = drive(restricted(publish(), { holds: [productionHold] }), ...passing(aService(), 0));
    const passed = drive(flow, ...passing(aService(), staging));

    expect(passed.promotion.phase).toEqual({
      kind: 'blocked',
      environment: production,
      hold: productionHold,
    });
    expect(effectsOfType(passed.effects, 'scheduleApprovalExpiry')).toEqual([]);
    expect(noticesIn(passed.effects)).toEqual(['step_finished', 'stage_passed', 'held']);
    expect(passed.promotion.stages[production]?.status).toBe('held');
  });

  it('asks for approval when the hold is lifted, with the promotion’s requester', () => {
    const blocked = drive(
      restricted(publish(aService(), { by: 'U0DAVE' }), { holds: [productionHold] }),
      ...passing(aService(), 0),
      ...passing(aService(), staging),
    );
    const lifted = drive(restricted(blocked, { holds: [] }), unheld(production, 'U0BOB'));

    expect(lifted.promotion.phase).toMatchObject({ kind: 'awaiting_approval', requestedBy: 'U0DAVE' });
    expect(effectsOfType(lifted.effects, 'scheduleApprovalExpiry')).toHaveLength(1);
  });

  it('closes an open gate when production is put on hold, and an approval from before counts no more', () => {
    const service = aServiceWithProduction({ approval: anApproval({ required: 2 }) });
    const gate = drive(atTheGate(service), approve('U0CAROL'));
    const closed = drive(gate, held(production, 'incident 42', 'U0ALICE'));
    const reopened = drive(closed, unheld(production));

    expect(closed.promotion.phase).toMatchObject({ kind: 'blocked', environment: production });
    expect(noticesIn(closed.effects)).toEqual(['held']);
    expect(effectsOfType(closed.effects, 'leaveEnvironment')).toEqual([]);
    expect(attempt(closed, approve('U0CAROL')).ok).toBe(false);
    expect(attempt(closed, expire(gate.now)).ok).toBe(false);
    expect(reopened.promotion.phase.kind).toBe('awaiting_approval');
    expect(reopened.promotion.approvals).toEqual([]);
  });

  it('keeps a promotion held by another hold that still covers it, naming that one now', () => {
    const wide: Hold = { reason: 'code freeze', by: 'U0BOB', at: START };
    const blocked = drive(publish(), held(0, 'incident'));
    const lifted = drive(restricted(blocked, { holds: [wide] }), unheld(0));
    const again = attempt(restricted(lifted, { holds: [wide] }), unheld(0));

    expect(lifted.promotion.phase).toEqual({ kind: 'blocked', environment: 0, hold: wide });
    expect(noticesIn(lifted.effects)).toEqual(['held']);
    expect(again.ok ? 'released' : again.reason).toMatch(/still on hold \(code freeze\)/);
  });

  it('keeps a rolled-back digest away from the gate, saying how to force it', () => {
    const flow = drive(
      restricted(publish(), { holds: [], rolledBack: 'error-rate 5% > 1%' }),
      ...passing(aService(), 0),
      ...passing(aService(), staging),
    );

    expect(flow.promotion.phase).toMatchObject({
      kind: 'blocked',
      environment: production,
      hold: { by: 'promotion-bot', reason: expect.stringMatching(/--force$/) },
    });
  });

  it('stops a promotion before a held environment on its way, and a re-asked gate when production is held', () => {
    const stagingHold: Hold = { environment: 'staging', reason: 'load test', by: 'U0BOB', at: START };
    const flow = drive(restricted(publish(), { holds: [stagingHold] }), ...passing(aService(), 0));
    expect(flow.promotion.phase).toEqual({ kind: 'blocked', environment: staging, hold: stagingHold });
    expect(effectsOfType(flow.effects, 'enterEnvironment')).toEqual([]);

    const rejected = drive(atTheGate(), reject());
    const asked = drive(restricted(rejected, { holds: [productionHold] }), {
      type: 'promoteRequested',
      by: 'U0ALICE',
    });
    expect(asked.promotion.phase).toMatchObject({ kind: 'blocked', environment: production });
  });

  it('gives the environment back when a hold landed between taking it and committing the entry', () => {
    const approved = drive(atTheGate(), approve('U0CAROL'));
    const entering = restricted(approved, { holds: [productionHold] });
    const flow = drive(entering, entered(production));

    expect(flow.promotion.phase).toEqual({ kind: 'blocked', environment: production, hold: productionHold });
    expect(typesOfEffects(flow.effects)).toEqual(['leaveEnvironment', 'notify']);
    expect(effectsOfType(flow.effects, 'runStep')).toEqual([]);
    const developmentHold: Hold = { ...productionHold, environment: 'development' };
    const staged = drive(restricted(publish(), { holds: [developmentHold] }), entered(0));
    expect(staged.promotion.phase).toMatchObject({ kind: 'blocked', environment: 0 });
  });

  it('holds the first environment of a promotion published while it is held', () => {
    const wide: Hold = { reason: 'code freeze', by: 'U0BOB', at: START };
    const flow = publish(aService(), { restrictions: { holds: [wide] } });

    expect(flow.promotion.phase).toEqual({ kind: 'blocked', environment: 0, hold: wide });
    expect(noticesIn(flow.effects)).toEqual(['published', 'held']);
  });
});
