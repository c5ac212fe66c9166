import { z } from 'zod';
import type { StepRef } from '../domain/events.js';
import { PROMOTION_ID_PATTERN } from '../domain/promotion.js';
import type {
  AnalysisJob,
  ExpiryJob,
  FreezeEndJob,
  HoldExpiryJob,
  InconclusiveDeadlineJob,
  ReminderJob,
  SoakEndJob,
  StepJob,
} from '../engine/ports.js';

// Job data is parsed when enqueued and again when processed: a job written by another version of the
// program fails here, readably, instead of somewhere deep in a step.

const Id = z.string().regex(PROMOTION_ID_PATTERN);
const Index = z.number().int().min(0).max(1000);

export const StepRefSchema: z.ZodType<StepRef> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('deploy'), environment: Index, rolloutStep: Index }),
  z.object({ kind: z.literal('test'), environment: Index, test: Index }),
  z.object({ kind: z.literal('rollback'), environment: Index }),
]);

export const StepJobSchema: z.ZodType<StepJob> = z.object({
  promotionId: Id,
  service: z.string(),
  step: StepRefSchema,
});

export const AnalysisJobSchema: z.ZodType<AnalysisJob> = z.object({
  promotionId: Id,
  service: z.string(),
  analysis: z.object({ step: Index, check: z.number().int().min(1) }),
});

export const ExpiryJobSchema: z.ZodType<ExpiryJob> = z.object({
  promotionId: Id,
  service: z.string(),
  requestedAt: z.string(),
});

export const HoldExpiryJobSchema: z.ZodType<HoldExpiryJob> = z
  .object({ service: z.string(), environment: z.string().optional(), placedAt: z.string() })
  .transform(({ environment, ...job }) => (environment === undefined ? job : { ...job, environment }));

export const InconclusiveDeadlineJobSchema: z.ZodType<InconclusiveDeadlineJob> = z
  .object({ promotionId: Id, service: z.string(), askedAt: z.string(), dueAt: z.string().optional() })
  .transform(withoutUnset);

export const ReminderJobSchema: z.ZodType<ReminderJob> = z
  .object({
    promotionId: Id,
    service: z.string(),
    requestedAt: z.string(),
    reminder: z.number().int().min(1).max(10_000),
    dueAt: z.string().optional(),
  })
  .transform(withoutUnset);

/** A job written before `dueAt` existed has none: leave the key out rather than set it to undefined. */
function withoutUnset<T extends { dueAt?: string | undefined }>({ dueAt, ...job }: T) {
  return dueAt === undefined ? job : { ...job, dueAt };
}

export const FreezeEndJobSchema: z.ZodType<FreezeEndJob> = z.object({
  promotionId: Id,
  service: z.string(),
  environment: Index,
  endsAt: z.string(),
});

export const SoakEndJobSchema: z.ZodType<SoakEndJob> = z.object({
  promotionId: Id,
  service: z.string(),
  environment: Index,
  until: z.iso.datetime(),
});

/** Deterministic ids: enqueueing the same step twice is a no-op (BullMQ ignores a duplicate job id). */
export function stepJobId(job: StepJob): string {
  const { step } = job;
  const n = step.kind === 'deploy' ? step.rolloutStep : step.kind === 'test' ? step.test : 0;
  return `${job.promotionId}.${step.kind}.${step.environment}.${n}`;
}

export function analysisJobId(job: AnalysisJob): string {
  return `${job.promotionId}.analysis.${job.analysis.step}.${job.analysis.check}`;
}

export function expiryJobId(job: ExpiryJob): string {
  return `${job.promotionId}.expiry.${Date.parse(job.requestedAt)}`;
}

export function holdExpiryJobId(job: HoldExpiryJob): string {
  return `${job.service}.hold.${job.environment ?? 'all'}.${Date.parse(job.placedAt)}`;
}

export function freezeEndJobId(job: FreezeEndJob): string {
  return `${job.promotionId}.freeze-end.${job.environment}.${Date.parse(job.endsAt)}`;
}

export function reminderJobId(job: ReminderJob): string {
  return `${job.promotionId}.reminder.${Date.parse(job.requestedAt)}.${job.reminder}`;
}

export function inconclusiveDeadlineJobId(job: InconclusiveDeadlineJob): string {
  return `${job.promotionId}.inconclusive.${Date.parse(job.askedAt)}`;
}

export function soakEndJobId(job: SoakEndJob): string {
  return `${job.promotionId}.soak-end.${job.environment}.${Date.parse(job.until)}`;
}
