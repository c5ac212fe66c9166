import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import { z } from 'zod';
import {
  APPROVE_ACTION,
  REJECT_ACTION,
  ROLLBACK_CANCEL_ACTION,
  ROLLBACK_CONFIRM_ACTION,
} from '../blocks/action-ids.js';
import { renderRefusal } from '../blocks/render-command-reply.js';
import { renderRejectModal } from '../blocks/render-reject-modal.js';
import { renderRollbackStarted } from '../blocks/render-rollback-confirm.js';
import { decodeRollbackConfirm } from '../blocks/rollback-confirm-value.js';
import type { SlackDeps } from '../slack-deps.js';

const PromotionIdValue = z.string().regex(/^[A-Za-z0-9_-]{4,64}$/);

/** The gate's buttons and the rollback confirmation's. Every refusal (not allowed, twice, stale) is ephemeral. */
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

  app.action<BlockAction<ButtonAction>>(ROLLBACK_CONFIRM_ACTION, async ({ ack, body, action, respond }) => {
    await ack();
    const confirmed = decodeRollbackConfirm(action.value);
    if (!confirmed)
      return refuseQuietly(respond, 'this button does not name a rollback; run /rollback again');
    const user = body.user.id;
    const { plan, reason } = confirmed;
    const result = await deps.commands.confirmRollback(plan, {
      user,
      ...(reason === undefined ? {} : { reason }),
    });
    deps.log.info({ promotionId: plan.promotionId, user, ok: result.ok }, 'rollback confirmed');
    if (!result.ok) return refuseQuietly(respond, result.reason);
    await respond({
      response_type: 'in_channel',
      replace_original: false,
      ...renderRollbackStarted(plan, user, reason),
    });
    await respond({ delete_original: true });
  });

  app.action<BlockAction<ButtonAction>>(ROLLBACK_CANCEL_ACTION, async ({ ack, respond }) => {
    await ack();
    await respond({ delete_original: true });
  });
}

/** Tells only the person who clicked why nothing happened; the message they clicked stays as it is. */
async function refuseQuietly(respond: RespondFn, reason: string): Promise<void> {
  await respond({ response_type: 'ephemeral', replace_original: false, text: renderRefusal(reason) });
}
