import { describe, expect, it } from 'vitest';
import { statusOf } from '../../../src/domain/promotion-view.js';
import {
  anApproval,
  anEnvironment,
  aProduction,
  aService,
  aServiceWithProduction,
  HOUR,
} from '../../support/pipeline-builder.js';
import {
  approve,
  atTheGate,
  attempt,
  drive,
  effectsOfType,
  entered,
  expire,
  later,
  noticesIn,
  passing,
  promote,
  publish,
  reject,
} from './promotion-flow.js';

function refusal(transition: ReturnType<typeof attempt>): string {
  return transition.ok ? 'accepted' : transition.reason;
}

describe('the production approval gate', () => {
  it('opens the way to production when an approver approves', () => {
    const flow = drive(atTheGate(), approve('U0CAROL'));

    expect(flow.promotion.phase).toEqual({ kind: 'entering', environment: 2 });
    expect(flow.promotion.approvals).toEqual([{ by: 'U0CAROL', decision: 'approve', at: flow.now }]);
    const decided = effectsOfType(flow.effects, 'notify').find(
      (effect) => effect.notice.kind === 'approval_decided',
    );
    expect(decided?.notice).toMatchObject({ environment: 'production', by: 'U0CAROL' });
  });

  it('refuses an approval of a request since closed and asked again, and takes one of the request open now', () => {
    const gate = atTheGate();
    const phase = gate.promotion.phase;
    const open = phase.kind === 'awaiting_approval' ? phase.requestedAt : '';

    const decide = (requestedAt: string) =>
      attempt(gate, {
        type: 'approvalDecided',
        by: 'U0CAROL',
        byGroups: [],
        decision: 'approve',
        requestedAt,
      });

    const stale = decide(later(open, -HOUR));
    const current = decide(open);

    expect(refusal(stale)).toBe(
      'that approval request was closed and asked again: use the Approve button on the newest gate',
    );
    expect(current.ok).toBe(true);
  });

  it('accepts an approver who is named through a user group', () => {
    const flow = drive(atTheGate(), approve('U0ERIN', ['S0RELEASE']));

    expect(flow.promotion.phase.kind).toBe('entering');
  });

  it('refuses someone who is neither named nor in a named group', () => {
    const gate = atTheGate();

    const transition = attempt(gate, approve('U0MALLORY', ['S0OTHERS']));

    expect(transition.ok).toBe(false);
    expect(refusal(transition)).toContain('not an approver');
  });

  it('refuses a non-approver rejecting too', () => {
    const transition = attempt(atTheGate(), reject('U0MALLORY'));

    expect(refusal(transition)).toContain('not an approver');
  });

  it('refuses the person who started the promotion approving it', () => {
    const gate = atTheGate(aService(), { by: 'U0CAROL' });

    const transition = attempt(gate, approve('U0CAROL'));

    expect(refusal(transition)).toContain('someone else must approve');
  });

  it('lets the person who started the promotion approve it when self-approval is allowed', () => {
    const service = aServiceWithProduction({ approval: anApproval({ allowSelfApproval: true }) });
    const gate = atTheGate(service, { by: 'U0CAROL' });

    const flow = drive(gate, approve('U0CAROL'));

    expect(flow.promotion.phase.kind).toBe('entering');
  });

  it('lets the person who started the promotion reject it', () => {
    const gate = atTheGate(aService(), { by: 'U0CAROL' });

    const flow = drive(gate, reject('U0CAROL'));

    expect(flow.promotion.phase.kind).toBe('rejected');
  });

  it('waits for a second approver when two approvals are required', () => {
    const service = aServiceWithProduction({
      approval: anApproval({ approvers: ['U0CAROL', 'U0DAVE'], required: 2 }),
    });

    const flow = drive(atTheGate(service), approve('U0CAROL'));

    expect(flow.promotion.phase.kind).toBe('awaiting_approval');
    expect(noticesIn(flow.effects)).toEqual(['approval_recorded']);
    expect(effectsOfType(flow.effects, 'enterEnvironment')).toEqual([]);
  });

  it('enters production once two different approvers have approved', () => {
    const service = aServiceWithProduction({
      approval: anApproval({ approvers: ['U0CAROL', 'U0DAVE'], required: 2 }),
    });

    const flow = drive(atTheGate(service), approve('U0CAROL'), approve('U0DAVE'));

    expect(flow.promotion.phase).toEqual({ kind: 'entering', environment: 2 });
    expect(flow.promotion.approvals.map((approval) => approval.by)).toEqual(['U0CAROL', 'U0DAVE']);
  });

  it('refuses the same approver approving twice', () => {
    const service = aServiceWithProduction({
      approval: anApproval({ approvers: ['U0CAROL', 'U0DAVE'], required: 2 }),
    });
    const once = drive(atTheGate(service), approve('U0CAROL'));

    const transition = attempt(once, approve('U0CAROL'));

    expect(refusal(transition)).toContain('already decided');
  });

  it('refuses an approver who approved and then tries to reject', () => {
    const service = aServiceWithProduction({
      approval: anApproval({ approvers: ['U0CAROL', 'U0DAVE'], required: 2 }),
    });
    const once = drive(atTheGate(service), approve('U0CAROL'));

    expect(refusal(attempt(once, reject('U0CAROL')))).toContain('already decided');
  });

  it('counts the same person once even when they are named directly and through a group', () => {
    const service = aServiceWithProduction({
      approval: anApproval({ approvers: ['U0CAROL', 'S0RELEASE'], required: 2 }),
    });
    const once = drive(atTheGate(service), approve('U0CAROL', ['S0RELEASE']));

    expect(attempt(once, approve('U0CAROL', ['S0RELEASE'])).ok).toBe(false);
  });

  it('lets a second approver reject after a first approval', () => {
    const service = aServiceWithProduction({
      approval: anApproval({ approvers: ['U0CAROL', 'U0DAVE'], required: 2 }),
    });

    const flow = drive(atTheGate(service), approve('U0CAROL'), reject('U0DAVE', 'sale weekend'));

    expect(flow.promotion.phase).toMatchObject({ kind: 'rejected', by: 'U0DAVE', reason: 'sale weekend' });
  });

  it('refuses a decision made at or after the expiry time', () => {
    const gate = atTheGate();
    const { phase } = gate.promotion;
    if (phase.kind !== 'awaiting_approval') throw new Error('expected the gate');

    const atExpiry = attempt(gate, { ...approve(), at: phase.expiresAt });
    const justBefore = attempt(gate, { ...approve(), at: later(phase.expiresAt, -1) });

    expect(refusal(atExpiry)).toContain('expired');
    expect(justBefore.ok).toBe(true);
  });

  it('uses the policy expiry for the gate', () => {
    const service = aServiceWithProduction({ approval: anApproval({ expiresAfterMs: 2 * HOUR }) });

    const gate = atTheGate(service);

    expect(gate.promotion.phase).toMatchObject({ expiresAt: later(gate.now, 2 * HOUR) });
    expect(effectsOfType(gate.effects, 'scheduleApprovalExpiry')).toEqual([
      { type: 'scheduleApprovalExpiry', requestedAt: gate.now, delayMs: 2 * HOUR },
    ]);
  });
});

describe('rejection', () => {
  it('holds the release when an approver rejects, with who and why', () => {
    const flow = drive(atTheGate(), reject('U0CAROL', 'not during the sale'));

    expect(flow.promotion.phase).toEqual({
      kind: 'rejected',
      by: 'U0CAROL',
      reason: 'not during the sale',
      at: flow.now,
    });
    expect(statusOf(flow.promotion.phase)).toBe('held');
    expect(flow.promotion.approvals).toEqual([
      { by: 'U0CAROL', decision: 'reject', at: flow.now, reason: 'not during the sale' },
    ]);
    const decided = effectsOfType(flow.effects, 'notify')[0]?.notice;
    expect(decided).toMatchObject({ kind: 'approval_decided', by: 'U0CAROL', reason: 'not during the sale' });
  });

  it('says no reason was given when the rejecter gave none', () => {
    const flow = drive(atTheGate(), {
      type: 'approvalDecided',
      by: 'U0CAROL',
      byGroups: [],
      decision: 'reject',
    });

    expect(flow.promotion.phase).toMatchObject({ kind: 'rejected', reason: 'no reason given' });
  });

  it('does not go near production after a rejection', () => {
    const flow = drive(atTheGate(), reject());

    expect(effectsOfType(flow.effects, 'enterEnvironment')).toEqual([]);
    expect(effectsOfType(flow.effects, 'runStep')).toEqual([]);
  });

  it('refuses further decisions on a rejected promotion', () => {
    const flow = drive(atTheGate(), reject('U0CAROL'));

    expect(refusal(attempt(flow, approve('U0ERIN', ['S0RELEASE'])))).toContain('already rejected');
  });

  it('asks for approval again when someone promotes a rejected promotion', () => {
    const flow = drive(atTheGate(), reject(), promote());

    expect(flow.promotion.phase).toMatchObject({ kind: 'awaiting_approval', requestedAt: flow.now });
    expect(flow.promotion.approvals).toEqual([]);
    expect(flow.effects).toContainEqual({
      type: 'scheduleApprovalExpiry',
      requestedAt: flow.now,
      delayMs: 24 * HOUR,
    });
  });

  it('lets the rejecter approve the new request', () => {
    const flow = drive(atTheGate(), reject('U0CAROL'), promote(), approve('U0CAROL'));

    expect(flow.promotion.phase.kind).toBe('entering');
  });

  it('accepts a promote of a rejected promotion that names production', () => {
    const flow = drive(atTheGate(), reject(), promote('production'));

    expect(flow.promotion.phase.kind).toBe('awaiting_approval');
  });

  it('refuses a promote of a rejected promotion that names an earlier environment', () => {
    const transition = attempt(drive(atTheGate(), reject()), promote('staging'));

    expect(refusal(transition)).toContain('goes to production next');
  });
});

describe('approval expiry', () => {
  it('holds the release when the request expires', () => {
    const gate = atTheGate();

    const flow = drive(gate, expire(gate.now));

    expect(flow.promotion.phase).toEqual({ kind: 'approval_expired', at: flow.now });
    expect(statusOf(flow.promotion.phase)).toBe('held');
    expect(noticesIn(flow.effects)).toEqual(['approval_expired']);
  });

  it('refuses an expiry for a request that is no longer open', () => {
    const gate = atTheGate();
    const renewed = drive(gate, expire(gate.now), promote());

    expect(refusal(attempt(renewed, expire(gate.now)))).toContain('no longer open');
    expect(drive(renewed, expire(renewed.now)).promotion.phase.kind).toBe('approval_expired');
  });

  it('refuses an expiry after the gate was approved', () => {
    const gate = atTheGate();

    expect(attempt(drive(gate, approve()), expire(gate.now)).ok).toBe(false);
  });

  it('refuses decisions on an expired request', () => {
    const gate = atTheGate();

    expect(refusal(attempt(drive(gate, expire(gate.now)), approve()))).toContain('expired');
  });

  it('asks for approval again when an expired promotion is promoted', () => {
    const gate = atTheGate();

    const flow = drive(gate, expire(gate.now), promote(), approve());

    expect(flow.promotion.phase).toEqual({ kind: 'entering', environment: 2 });
  });
});

describe('manual promotion', () => {
  const manualStaging = aService({
    environments: [
      anEnvironment('development', { tests: ['smoke'] }),
      anEnvironment('staging', { tests: ['acceptance', 'load'], promote: 'manual' }),
      aProduction(),
    ],
  });
  const manualDevelopment = aService({
    environments: [
      anEnvironment('development', { tests: ['smoke'], promote: 'manual' }),
      anEnvironment('staging', { tests: ['acceptance', 'load'] }),
      aProduction(),
    ],
  });

  it('waits after passing an environment whose promote is manual', () => {
    const flow = drive(publish(manualStaging), ...passing(manualStaging, 0), ...passing(manualStaging, 1));

    expect(flow.promotion.phase).toEqual({ kind: 'waiting', environment: 1 });
    expect(statusOf(flow.promotion.phase)).toBe('waiting');
    expect(flow.effects).toContainEqual({ type: 'leaveEnvironment', environment: 1 });
    expect(noticesIn(flow.effects)).toContain('waiting');
    expect(effectsOfType(flow.effects, 'scheduleApprovalExpiry')).toEqual([]);
  });

  it('goes to the production gate when a waiting promotion is promoted', () => {
    const waiting = drive(publish(manualStaging), ...passing(manualStaging, 0), ...passing(manualStaging, 1));

    const flow = drive(waiting, promote());

    expect(flow.promotion.phase.kind).toBe('awaiting_approval');
  });

  it('goes to the next environment when a promotion waiting in development is promoted', () => {
    const waiting = drive(publish(manualDevelopment), ...passing(manualDevelopment, 0));

    const flow = drive(waiting, promote('staging'));

    expect(waiting.promotion.phase).toEqual({ kind: 'waiting', environment: 0 });
    expect(flow.promotion.phase).toEqual({ kind: 'entering', environment: 1 });
    expect(flow.effects).toEqual([{ type: 'enterEnvironment', environment: 1 }]);
  });

  it('refuses a promote that skips an environment', () => {
    const waiting = drive(publish(manualDevelopment), ...passing(manualDevelopment, 0));

    const reason = refusal(attempt(waiting, promote('production')));

    expect(reason).toContain('goes to staging next');
    expect(reason).toContain('development -> staging -> production');
  });

  it('refuses a promote back to the environment it is waiting in', () => {
    const waiting = drive(publish(manualDevelopment), ...passing(manualDevelopment, 0));

    expect(refusal(attempt(waiting, promote('development')))).toContain('goes to staging next');
  });

  it('refuses a promote to an unknown environment and lists the known ones', () => {
    const waiting = drive(publish(manualDevelopment), ...passing(manualDevelopment, 0));

    const reason = refusal(attempt(waiting, promote('qa')));

    expect(reason).toContain('no environment "qa"');
    expect(reason).toContain('development, staging, production');
  });

  it('refuses a promote while the promotion is running', () => {
    const flow = drive(publish(), entered(0));

    expect(refusal(attempt(flow, promote()))).toContain('not waiting for a promote');
  });

  it('points at the gate when a promotion awaiting approval is promoted', () => {
    expect(refusal(attempt(atTheGate(), promote()))).toContain('waiting for approval');
  });
});

describe('a service whose only environment is production', () => {
  const productionOnly = aService({ environments: [aProduction()] });

  it('still asks for approval before anything reaches production', () => {
    const flow = publish(productionOnly);

    expect(flow.promotion.phase.kind).toBe('awaiting_approval');
    expect(effectsOfType(flow.effects, 'enterEnvironment')).toEqual([]);
    expect(noticesIn(flow.effects)).toEqual(['published', 'approval_requested']);
  });

  it('enters production after the approval', () => {
    const flow = drive(publish(productionOnly), approve(), entered(0));

    expect(flow.promotion.phase).toEqual({ kind: 'rolling_out', step: 0, stage: { kind: 'deploying' } });
  });
});
