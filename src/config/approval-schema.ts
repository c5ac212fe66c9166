// The production gate: who may approve, how many must, and for how long a request stays open.
import { z } from 'zod';
import type { ApprovalPolicy } from '../domain/pipeline.js';
import { PositiveDuration } from './duration.js';
import { PrincipalId, reportDuplicates, strictObject } from './schema-kit.js';

export const Approval = strictObject(
  {
    approvers: z.array(PrincipalId).min(1, 'needs at least one Slack user ID (U…) or user-group ID (S…)'),
    required: z.int().min(1).default(1),
    allowSelfApproval: z.boolean().default(false),
    expiresAfter: PositiveDuration.default(24 * 60 * 60_000),
  },
  {
    missing:
      'is required on production (the last environment): nothing reaches production without an explicit approval, so add approval: { approvers: [U…] }',
  },
).transform((input, ctx): ApprovalPolicy => {
  reportDuplicates(input.approvers, ctx, { what: 'approver', path: (index) => ['approvers', index] });
  // A user group (S…) may hold any number of people, so the count is only checked when every approver is a user.
  const onlyUsers = input.approvers.every((approver) => !approver.startsWith('S'));
  if (onlyUsers && input.required > input.approvers.length) {
    ctx.addIssue({
      code: 'custom',
      message: `is ${input.required} but only ${input.approvers.length} approver(s) are listed: lower required or add approvers`,
      path: ['required'],
      input: input.required,
    });
  }
  return {
    approvers: input.approvers,
    required: input.required,
    allowSelfApproval: input.allowSelfApproval,
    expiresAfterMs: input.expiresAfter,
  };
});
