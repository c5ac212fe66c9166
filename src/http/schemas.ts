import { z } from 'zod';
import { PROMOTION_ID_PATTERN } from '../domain/promotion.js';

export const SERVICE_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
export const VERSION = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;

/** The body CI posts to /api/artifacts. */
export const ArtifactBody = z.strictObject({
  service: z
    .string()
    .regex(SERVICE_NAME, 'service must be lowercase letters, digits, ".", "_" or "-" (at most 63)'),
  version: z
    .string()
    .regex(
      VERSION,
      'version must start with a letter or digit and use only letters, digits, ".", "_", "+" or "-" (at most 128)',
    ),
  digest: z
    .string()
    .regex(/^sha256:[a-f0-9]{64}$/, 'digest must be "sha256:" followed by 64 lowercase hex digits'),
  commit: z
    .string()
    .regex(/^[0-9a-f]{7,64}$/, 'commit must be a hex commit SHA (7 to 64 characters)')
    .optional(),
  url: z
    .url({ protocol: /^https?$/, error: 'url must be an http(s) URL' })
    .max(2048)
    .optional(),
  notes: z.string().max(4000, 'notes must be at most 4000 characters').optional(),
  /** Answer with the plan and create nothing. */
  dryRun: z.boolean({ error: 'dryRun must be true or false' }).optional(),
});

export type ArtifactBody = z.infer<typeof ArtifactBody>;

export const PromotionParams = z.object({
  id: z.string().regex(PROMOTION_ID_PATTERN, 'a promotion id is 4-64 letters, digits, "_" or "-"'),
});

export const PromotionsQuery = z.object({
  service: z.string().regex(SERVICE_NAME, 'service must be a service name from the pipeline file').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }));
}

export const AuditQuery = z.object({
  /** An ISO time, or the id of the last entry the reader has (see domain/audit-position). */
  since: z.string().max(200, 'since must be at most 200 characters').optional(),
  service: z.string().regex(SERVICE_NAME, 'service must be a service name from the pipeline file').optional(),
});
