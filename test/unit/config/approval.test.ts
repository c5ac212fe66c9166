import { describe, expect, it } from 'vitest';
import { environmentOf, problemsOf, withEnvironments } from './pipeline-text.js';

const PATH = 'services.checkout.environments[0].approval';

/** A production environment whose approval map holds these lines; the first of them is on line 9. */
function withApproval(...lines: string[]): string {
  return withEnvironments(
    '      - name: production',
    '        deploy: { run: ./deploy.sh }',
    '        approval:',
    ...lines,
  );
}

describe('approval', () => {
  it('fills in the defaults of the gate', () => {
    const { approval } = environmentOf(
      withApproval('          approvers: [U0CAROL, S0RELEASE]'),
      'production',
    );

    expect(approval).toEqual({
      approvers: ['U0CAROL', 'S0RELEASE'],
      required: 1,
      allowSelfApproval: false,
      expiresAfterMs: 86_400_000,
    });
  });

  it('reads every field of the gate', () => {
    const text = withApproval(
      '          approvers: [U0CAROL, W0DAN]',
      '          required: 2',
      '          allowSelfApproval: true',
      '          expiresAfter: 2h',
    );

    expect(environmentOf(text, 'production').approval).toEqual({
      approvers: ['U0CAROL', 'W0DAN'],
      required: 2,
      allowSelfApproval: true,
      expiresAfterMs: 7_200_000,
    });
  });

  it('rejects a required count below 1', () => {
    expect(problemsOf(withApproval('          approvers: [U0CAROL]', '          required: 0'))).toEqual([
      { path: `${PATH}.required`, line: 10, message: 'must be at least 1' },
    ]);
  });

  it('rejects requiring more approvals than there are approvers', () => {
    expect(
      problemsOf(withApproval('          approvers: [U0CAROL, U0DAN]', '          required: 3')),
    ).toEqual([
      {
        path: `${PATH}.required`,
        line: 10,
        message: 'is 3 but only 2 approver(s) are listed: lower required or add approvers',
      },
    ]);
  });

  it('allows more approvals than entries when a user group is among the approvers', () => {
    const text = withApproval('          approvers: [S0RELEASE]', '          required: 2');

    expect(environmentOf(text, 'production').approval?.required).toBe(2);
  });

  it('requires at least one approver', () => {
    expect(problemsOf(withApproval('          approvers: []'))).toEqual([
      {
        path: `${PATH}.approvers`,
        line: 9,
        message: 'needs at least one Slack user ID (U…) or user-group ID (S…)',
      },
    ]);
  });

  it('rejects an approver given by name', () => {
    expect(problemsOf(withApproval('          approvers: [carol]'))).toEqual([
      {
        path: `${PATH}.approvers[0]`,
        line: 9,
        message: 'must be a Slack user ID (U… or W…) or user-group ID (S…), not a @name',
      },
    ]);
  });

  it('rejects an approver listed twice', () => {
    expect(
      problemsOf(withApproval('          approvers:', '            - U0CAROL', '            - U0CAROL')),
    ).toEqual([
      {
        path: `${PATH}.approvers[1]`,
        line: 11,
        message: 'approver "U0CAROL" appears more than once: each must be unique',
      },
    ]);
  });

  it('requires the list of approvers', () => {
    expect(problemsOf(withApproval('          required: 1'))).toEqual([
      { path: `${PATH}.approvers`, line: 9, message: 'is required' },
    ]);
  });

  it('rejects a self-approval flag that is not true or false', () => {
    expect(
      problemsOf(withApproval('          approvers: [U0CAROL]', '          allowSelfApproval: sometimes')),
    ).toEqual([
      { path: `${PATH}.allowSelfApproval`, line: 10, message: 'must be true or false, not a string' },
    ]);
  });

  it('rejects an expiry of zero', () => {
    expect(problemsOf(withApproval('          approvers: [U0CAROL]', '          expiresAfter: 0h'))).toEqual([
      {
        path: `${PATH}.expiresAfter`,
        line: 10,
        message: 'must be longer than 0: expected a duration like 30s, 5m or 24h',
      },
    ]);
  });
});

describe('reminders and escalation at the gate', () => {
  it('reads remindEvery, escalateAfter and escalateTo', () => {
    const { approval } = environmentOf(
      withApproval(
        '          approvers: [U0CAROL]',
        '          remindEvery: 2h',
        '          escalateAfter: 8h',
        '          escalateTo: [S0ONCALL]',
      ),
      'production',
    );

    expect(approval).toMatchObject({
      remindEveryMs: 2 * 3600_000,
      escalateAfterMs: 8 * 3600_000,
      escalateTo: ['S0ONCALL'],
    });
  });

  it('wants escalateAfter and escalateTo together, and both shorter than expiresAfter', () => {
    expect(problemsOf(withApproval('          approvers: [U0CAROL]', '          escalateAfter: 8h'))).toEqual(
      [
        {
          path: `${PATH}.escalateAfter`,
          line: 10,
          message: 'escalateAfter and escalateTo go together: after how long, and whom to bring in',
        },
      ],
    );
    expect(
      problemsOf(
        withApproval(
          '          approvers: [U0CAROL]',
          '          expiresAfter: 1h',
          '          remindEvery: 2h',
        ),
      ),
    ).toEqual([
      {
        path: `${PATH}.remindEvery`,
        line: 11,
        message: 'is not shorter than expiresAfter: the request would expire first',
      },
    ]);
  });
});
