import { z } from 'zod';
import type { RollbackPlan } from '../../domain/rollback-confirmation.js';
import { PROMOTION_ID_PATTERN } from './wire-ids.js';

// The Confirm button's value: the rollback it confirms (service, environment, promotion, the version running and
// the one to go back to) and the reason given. It comes back from Slack, so it is parsed, never trusted: a
// forged one can only name a rollback that is exactly current anyway, by an owner.

const NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;

export const RollbackConfirmValue = z
  .object({
    service: z.string().regex(NAME),
    environment: z.string().regex(NAME),
    promotionId: z.string().regex(PROMOTION_ID_PATTERN),
    from: z.string().regex(NAME),
    to: z.string().regex(NAME),
    reason: z.string().max(500).optional(),
  })
  .strict();

export type RollbackConfirmValue = { readonly plan: RollbackPlan; readonly reason?: string };

/** JSON, well under Slack's 2000 characters for a button value (names ≤ 128, the reason ≤ 500). */
export function encodeRollbackConfirm(plan: RollbackPlan, reason: string | undefined): string {
  return JSON.stringify({ ...plan, ...(reason === undefined ? {} : { reason: reason.slice(0, 500) }) });
}

/** The confirmation a button carries, or undefined when the value is not one we wrote. */
export function decodeRollbackConfirm(value: string | undefined): RollbackConfirmValue | undefined {
  let json: unknown;
  try {
    json = JSON.parse(value ?? '');
  } catch {
    return undefined;
  }
  const parsed = RollbackConfirmValue.safeParse(json);
  if (!parsed.success) return undefined;
  const { reason, ...plan } = parsed.data;
  return reason === undefined ? { plan } : { plan, reason };
}
