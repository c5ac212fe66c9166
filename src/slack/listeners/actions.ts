import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import { z } from 'zod';
import { renderRejectModal } from '../blocks/render-reject-modal.js';
import type { SlackDeps } from '../slack-deps.js';

export const APPROVE_ACTION = 'promotion.approve';
export const REJECT_ACTION = 'promotion.reject';

const PromotionIdValue = z.string().regex(/^[A-Za-z0-9_-]{4,64}$/);

/** The production gate's buttons. Every refusal (not an approver, twice, stale, expired) is ephemeral. */
export function registerActions(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(APPROVE_ACTION, async ({ ack, body, action, respond }) => {
    await ack();
    const id = PromotionIdValue.safeParse(action.value);
    if (!id.success) return refuseQuietly(respond, 'this button does not name a promotion');
    const result = await deps.commands.decide(id.data, 'approve', { user: body.user.id });
    deps.log.info({ promotionId: id.data, user: body.user.id, ok: result.ok }, 'approve clicked');
    if (!result.ok) await refuseQuietly(respond, result.reason);
  });

  app.action<BlockAction<ButtonAction>>(REJECT_ACTION, async ({ ack, body, action, respond, client }) => {
    await ack();
    const id = PromotionIdValue.safeParse(action.value);
    if (!id.success) return refuseQuietly(respond, 'this button does not name a promotion');
    const refusal = await deps.commands.refuseDecision(id.data, 'reject', { user: body.user.id });
    if (refusal) return refuseQuietly(respond, refusal);
    const stored = await deps.promotions.get(id.data);
    if (!stored) return;
    await client.views.open({ trigger_id: body.trigger_id, view: renderRejectModal(stored.promotion) });
  });
}

/** Tells only the person who clicked why nothing happened; the message they clicked stays as it is. */
async function refuseQuietly(respond: RespondFn, reason: string): Promise<void> {
  await respond({ response_type: 'ephemeral', replace_original: false, text: `:no_entry: ${reason}` });
}
