import { z } from 'zod';
import { PROMOTION_ID_PATTERN } from './wire-ids.js';

// The reject modal's `private_metadata`: the promotion it rejects and the clicked message's response URL, so a
// refusal after the submit reaches the person whatever their channel membership. It comes back from Slack in a
// signed request; it is parsed, never trusted (the decision itself is checked again on submit).

const PromotionId = z.string().regex(PROMOTION_ID_PATTERN);

export const RejectModalMetadata = z
  .object({
    promotionId: PromotionId,
    responseUrl: z
      .string()
      .max(1000)
      .regex(/^https?:\/\/[^\s]+$/)
      .optional(),
  })
  .strict();

export type RejectModalMetadata = z.infer<typeof RejectModalMetadata>;

/** The bare promotion id without a response URL, else JSON: far under Slack's 3000 characters. */
export function encodeRejectModalMetadata(metadata: RejectModalMetadata): string {
  return metadata.responseUrl === undefined ? metadata.promotionId : JSON.stringify(metadata);
}

/** What the modal carried, or undefined; a bare promotion id is a modal opened before response URLs travelled. */
export function decodeRejectModalMetadata(value: string): RejectModalMetadata | undefined {
  const bare = PromotionId.safeParse(value);
  if (bare.success) return { promotionId: bare.data };
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return undefined;
  }
  const parsed = RejectModalMetadata.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
