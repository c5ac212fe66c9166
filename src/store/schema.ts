import { z } from 'zod';
import type { AuditEntry } from '../domain/audit.js';
import type { Hold, Promotion } from '../domain/promotion.js';
import type { Deployment, OutboxEntry, Outlook, RestrictionsRead } from '../engine/ports.js';

// Records this program wrote itself. The envelope is checked so that a foreign or truncated value fails
// loudly here instead of deep in the state machine; the body's shape is ours.

const Envelope = z.looseObject({
  id: z.string(),
  artifact: z.looseObject({ service: z.string() }),
  phase: z.looseObject({ kind: z.string() }),
});

export function decodePromotion(text: string): Promotion {
  const value: unknown = JSON.parse(text);
  Envelope.parse(value);
  return value as Promotion;
}

export function decodeAudit(text: string): AuditEntry {
  return z.looseObject({ at: z.string(), type: z.string() }).parse(JSON.parse(text)) as AuditEntry;
}

export function decodeOutboxEntry(text: string): OutboxEntry {
  return z
    .looseObject({ id: z.string(), promotionId: z.string(), effect: z.looseObject({ type: z.string() }) })
    .parse(JSON.parse(text)) as OutboxEntry;
}

export const DeploymentRecord = z.object({
  promotionId: z.string(),
  version: z.string(),
  digest: z.string(),
  commit: z.string().optional(),
  color: z.enum(['blue', 'green']).optional(),
  at: z.string(),
});

export function decodeDeployment(text: string): Deployment {
  const { color, commit, ...rest } = DeploymentRecord.parse(JSON.parse(text));
  return {
    ...rest,
    ...(commit === undefined ? {} : { commit }),
    ...(color === undefined ? {} : { color }),
  };
}

/** A version's record: the digest it names for ever, and the promotion that published it. */
export const ArtifactRecord = z.object({ digest: z.string(), promotionId: z.string() });

/** The outlook script's reply: holds' JSON, the artifact record, the rolled-back reason, deployments ('' for none). */
const OutlookReply = z.tuple([z.array(z.string()), z.string(), z.string(), z.array(z.string())]);

export function decodeOutlook(reply: unknown): Outlook {
  const [holds, record, bad, running] = OutlookReply.parse(reply);
  const { restrictions } = decodeRestrictions(holds, null, bad || null);
  return {
    restrictions,
    ...(record ? { published: ArtifactRecord.parse(JSON.parse(record)) } : {}),
    running: running.map((head) => (head ? decodeDeployment(head) : undefined)),
  };
}

export const HoldRecord = z.object({
  environment: z.string().optional(),
  reason: z.string(),
  by: z.string(),
  at: z.string(),
  until: z.string().optional(),
});

export function decodeHold(text: string): Hold {
  const { environment, until, ...rest } = HoldRecord.parse(JSON.parse(text));
  return {
    ...rest,
    ...(environment === undefined ? {} : { environment }),
    ...(until === undefined ? {} : { until }),
  };
}

/** The restrictions as the read scripts return them: the holds' JSON values and the digest's rollback reason. */
export function decodeRestrictions(
  holds: readonly string[],
  holdsRevision: string | null,
  rolledBack: string | null,
): RestrictionsRead {
  return {
    restrictions: {
      holds: holds.map(decodeHold),
      ...(rolledBack ? { rolledBack } : {}),
    },
    holdsRevision: holdsRevision ?? '0',
  };
}
