import type { App } from '@slack/bolt';
import { z } from 'zod';
import { decodeRejectModalMetadata } from '../blocks/reject-modal-metadata.js';
import { renderRefusal } from '../blocks/render-command-reply.js';
import { REJECT_MODAL_CALLBACK, REJECT_REASON_MAX_LENGTH } from '../blocks/wire-ids.js';
import { createPrivateReply } from '../private-reply.js';
import type { SlackDeps } from '../slack-deps.js';

const Reason = z
  .string()
  .trim()
  .min(1, 'Say why, so the team knows what to fix.')
  .max(REJECT_REASON_MAX_LENGTH, `Keep the reason under ${REJECT_REASON_MAX_LENGTH} characters.`);

/**
 * The reject modal: the reason is required, and whether this person may decide is checked here, after the ack
 * (a user group never read yet may take Slack a while). A refusal is told privately, like a click's.
 */
export function registerViews(app: App, deps: SlackDeps): void {
  app.view(REJECT_MODAL_CALLBACK, async ({ ack, view, body, client }) => {
    const metadata = decodeRejectModalMetadata(view.private_metadata);
    const reason = Reason.safeParse(view.state.values.reason?.reason?.value ?? '');
    if (!metadata || !reason.success) {
      const message = reason.success
        ? 'This form is out of date; reject again from the message.'
        : (reason.error.issues[0]?.message ?? 'Say why, so the team knows what to fix.');
      await ack({ response_action: 'errors', errors: { reason: message } });
      return;
    }
    await ack();
    const { promotionId, responseUrl } = metadata;
    const user = body.user.id;
    const result = await deps.commands.decide(promotionId, 'reject', { user, reason: reason.data });
    deps.log.info({ promotionId, user, ok: result.ok }, 'reject submitted');
    if (result.ok) return;
    const stored = await deps.promotions.get(promotionId);
    const channel = stored
      ? deps.pipeline.services.get(stored.promotion.artifact.service)?.channel
      : undefined;
    await createPrivateReply(client, deps.log)(
      { user, ...(responseUrl ? { responseUrl } : {}), ...(channel ? { channel } : {}) },
      renderRefusal(result.reason),
    );
  });
}
