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
    remindEvery: PositiveDuration.optional(),
    escalateAfter: PositiveDuration.optional(),
    escalateTo: z
      .array(PrincipalId)
      .min(1, 'name at least one Slack user ID (U…) or user-group ID (S…) to bring in')
      .optional(),
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
  if ((input.escalateAfter === undefined) !== (input.escalateTo === undefined)) {
    ctx.addIssue({
      code: 'custom',
      message: 'escalateAfter and escalateTo go together: after how long, and whom to bring in',
      path: [input.escalateAfter === undefined ? 'escalateTo' : 'escalateAfter'],
    });
  }
  for (const [key, value] of [
    ['remindEvery', input.remindEvery],
    ['escalateAfter', input.escalateAfter],
  ] as const) {
    if (value !== undefined && value >= input.expiresAfter)
      ctx.addIssue({
        code: 'custom',
        message: `is not shorter than expiresAfter: the request would expire first`,
        path: [key],
      });
  }
  return {
    approvers: input.approvers,
    required: input.required,
    allowSelfApproval: input.allowSelfApproval,
    expiresAfterMs: input.expiresAfter,
    ...(input.remindEvery === undefined ? {} : { remindEveryMs: input.remindEvery }),
    ...(input.escalateAfter === undefined ? {} : { escalateAfterMs: input.escalateAfter }),
    ...(input.escalateTo === undefined ? {} : { escalateTo: input.escalateTo }),
  };
});
