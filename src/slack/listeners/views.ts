import type { App } from '@slack/bolt';
import { z } from 'zod';
import { renderRefusal } from '../blocks/render-command-reply.js';
import type { SlackDeps } from '../slack-deps.js';

export const REJECT_REASON_VIEW = 'promotion.reject_reason';

const Submission = z.object({
  promotionId: z.string().regex(/^[A-Za-z0-9_-]{4,64}$/),
  reason: z
    .string()
    .trim()
    .min(1, 'Say why, so the team knows what to fix.')
    .max(2000, 'Keep the reason under 2000 characters.'),
});

/** The reject modal: the reason is required, and the decision is refused like a click would be. */
export function registerViews(app: App, deps: SlackDeps): void {
  app.view(REJECT_REASON_VIEW, async ({ ack, view, body, client }) => {
    const parsed = Submission.safeParse({
      promotionId: view.private_metadata,
      reason: view.state.values.reason?.reason?.value ?? '',
    });
    if (!parsed.success) {
      const message =
        parsed.error.issues.find((issue) => issue.path[0] === 'reason')?.message ??
        'This form is out of date; reject again from the message.';
      await ack({ response_action: 'errors', errors: { reason: message } });
      return;
    }
    await ack();
    const { promotionId, reason } = parsed.data;
    const result = await deps.commands.decide(promotionId, 'reject', { user: body.user.id, reason });
    deps.log.info({ promotionId, user: body.user.id, ok: result.ok }, 'reject submitted');
    if (result.ok) return;
    const stored = await deps.promotions.get(promotionId);
    const channel = stored
      ? deps.pipeline.services.get(stored.promotion.artifact.service)?.channel
      : undefined;
    if (channel)
      await client.chat.postEphemeral({ channel, user: body.user.id, text: renderRefusal(result.reason) });
  });
}
