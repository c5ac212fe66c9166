import { describe, expect, it } from 'vitest';
import { approvalsOf, isNamedIn, isOwner, refuseDecision } from '../../../src/domain/approval-policy.js';
import type { Approval, Promotion } from '../../../src/domain/promotion.js';
import { anApproval, aService } from '../../support/pipeline-builder.js';
import { atTheGate } from './promotion-flow.js';

function gate(options: { createdBy?: string; approvals?: readonly Approval[] } = {}): Promotion {
  const { promotion } = atTheGate(aService(), { by: options.createdBy ?? 'api' });
  return { ...promotion, approvals: options.approvals ?? [] };
}

const AT = '2024-03-01T10:00:00.000Z';

describe('isNamedIn', () => {
  it('finds a user named directly', () => {
    expect(isNamedIn(['U0CAROL'], { user: 'U0CAROL', groups: [] })).toBe(true);
  });

  it('finds a user through one of their groups', () => {
    expect(isNamedIn(['S0RELEASE'], { user: 'U0ERIN', groups: ['S0OTHER', 'S0RELEASE'] })).toBe(true);
  });

  it('does not find a user who is named nowhere', () => {
    expect(isNamedIn(['U0CAROL', 'S0RELEASE'], { user: 'U0MALLORY', groups: ['S0OTHER'] })).toBe(false);
  });
});

describe('isOwner', () => {
  it('accepts the service owners, directly or by group', () => {
    const service = aService();

    expect(isOwner(service, { user: 'U0ALICE', groups: [] })).toBe(true);
    expect(isOwner(service, { user: 'U0BOB', groups: ['S0SREGROUP'] })).toBe(true);
    expect(isOwner(service, { user: 'U0BOB', groups: [] })).toBe(false);
  });
});

describe('approvalsOf', () => {
  it('counts approvals and not rejections', () => {
    const promotion = gate({
      approvals: [
        { by: 'U0CAROL', decision: 'approve', at: AT },
        { by: 'U0DAVE', decision: 'reject', at: AT, reason: 'no' },
        { by: 'U0ERIN', decision: 'approve', at: AT },
      ],
    });

    expect(approvalsOf(promotion)).toBe(2);
  });
});

describe('refuseDecision', () => {
  it('lets an approver decide', () => {
    expect(refuseDecision(anApproval(), gate(), { user: 'U0CAROL', groups: [] }, 'approve')).toBeUndefined();
  });

  it('refuses someone who is not an approver and names the service', () => {
    const reason = refuseDecision(anApproval(), gate(), { user: 'U0MALLORY', groups: [] }, 'approve');

    expect(reason).toBe('you are not an approver for checkout production');
  });

  it('refuses a second decision by the same person', () => {
    const promotion = gate({ approvals: [{ by: 'U0CAROL', decision: 'approve', at: AT }] });

    expect(refuseDecision(anApproval(), promotion, { user: 'U0CAROL', groups: [] }, 'reject')).toContain(
      'already decided',
    );
  });

  it('refuses self-approval unless the policy allows it', () => {
    const promotion = gate({ createdBy: 'U0CAROL' });
    const carol = { user: 'U0CAROL', groups: [] };

    expect(refuseDecision(anApproval(), promotion, carol, 'approve')).toContain('someone else must approve');
    expect(
      refuseDecision(anApproval({ allowSelfApproval: true }), promotion, carol, 'approve'),
    ).toBeUndefined();
  });

  it('lets the person who started a promotion reject it', () => {
    const promotion = gate({ createdBy: 'U0CAROL' });

    expect(
      refuseDecision(anApproval(), promotion, { user: 'U0CAROL', groups: [] }, 'reject'),
    ).toBeUndefined();
  });

  it('checks that the decider is an approver before anything else', () => {
    const promotion = gate({ createdBy: 'U0MALLORY' });

    expect(refuseDecision(anApproval(), promotion, { user: 'U0MALLORY', groups: [] }, 'approve')).toContain(
      'not an approver',
    );
  });
});
