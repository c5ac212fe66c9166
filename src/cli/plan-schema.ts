import { z } from 'zod';
import type { PromotionPlan } from '../domain/promotion-plan.js';

// What `POST /api/artifacts` with `dryRun: true` answers (see src/domain/promotion-plan.ts and the README), checked
// field by field where `planLines` reads it, so a bot of another version fails here, readably, not mid-print.

const Step = z.discriminatedUnion('kind', [
  z.looseObject({ kind: z.literal('run'), command: z.string(), timeoutMs: z.number(), retries: z.number() }),
  z.looseObject({
    kind: z.literal('http'),
    method: z.string(),
    url: z.string(),
    timeoutMs: z.number(),
    retries: z.number(),
  }),
]);

const Hold = z.looseObject({
  environment: z.string().optional(),
  reason: z.string(),
  by: z.string(),
  at: z.string(),
  until: z.string().optional(),
  freeze: z.string().optional(),
});

const Opening = z.looseObject({ name: z.string(), opensAt: z.string(), endsAt: z.string() });

const Environment = z.looseObject({
  name: z.string(),
  production: z.boolean(),
  deploy: Step.and(z.looseObject({ strategy: z.string() })),
  tests: z.array(Step.and(z.looseObject({ name: z.string() }))),
  soakMs: z.number().optional(),
  promote: z.enum(['auto', 'manual']).optional(),
  gate: z
    .object({
      approvers: z.array(z.string()),
      required: z.number(),
      allowSelfApproval: z.boolean(),
      expiresAfterMs: z.number(),
    })
    .optional(),
  rollout: z
    .object({
      steps: z.array(z.looseObject({ weight: z.number(), analysisMs: z.number(), label: z.string() })),
      expectedMs: z.number(),
    })
    .optional(),
  monitor: z
    .object({
      intervalMs: z.number(),
      failureLimit: z.number(),
      metrics: z.array(
        z.looseObject({ name: z.string(), min: z.number().optional(), max: z.number().optional() }),
      ),
    })
    .optional(),
  rollback: z.union([Step, z.looseObject({ kind: z.literal('redeploy-previous') })]).optional(),
  holds: z.array(Hold),
  freezes: z.looseObject({ open: z.array(Opening), next: z.array(Opening) }),
  running: z.looseObject({ version: z.string(), digest: z.string(), since: z.string() }).optional(),
  blockedBy: Hold.optional(),
});

const Outcome = z.discriminatedUnion('kind', [
  z.looseObject({ kind: z.literal('new') }),
  z.looseObject({ kind: z.literal('existing'), promotionId: z.string(), where: z.string().optional() }),
  z.looseObject({ kind: z.literal('conflict'), message: z.string() }),
  z.looseObject({ kind: z.literal('unpublished') }),
]);

const Plan = z.looseObject({
  service: z.string(),
  version: z.string(),
  digest: z.string().optional(),
  at: z.string(),
  outcome: Outcome,
  quarantine: z.string().optional(),
  environments: z.array(Environment),
  stopsAt: z.looseObject({ environment: z.string(), hold: Hold }).optional(),
});

export const DryRunReply = z
  .object({ dryRun: z.literal(true), plan: Plan })
  // The checks above cover every field the printer reads; the rest is the domain's own type.
  .transform((reply) => reply.plan as unknown as PromotionPlan);
