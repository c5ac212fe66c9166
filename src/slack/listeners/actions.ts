import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { describeErrorForLog } from '../../log-error.js';
import { renderRefusal } from '../blocks/render-command-reply.js';
import { renderRejectModal } from '../blocks/render-reject-modal.js';
import { renderRollbackStarted } from '../blocks/render-rollback-confirm.js';
import { decodeRollbackConfirm } from '../blocks/rollback-confirm-value.js';
import {
  APPROVE_ACTION,
  gateRequestOf,
  INCONCLUSIVE_CONTINUE_ACTION,
  INCONCLUSIVE_ROLLBACK_ACTION,
  inconclusiveAskedAtOf,
  PROMOTION_ID_PATTERN,
  REJECT_ACTION,
  ROLLBACK_CANCEL_ACTION,
  ROLLBACK_CONFIRM_ACTION,
} from '../blocks/wire-ids.js';
import { createPrivateReply } from '../private-reply.js';
import type { SlackDeps } from '../slack-deps.js';

const PromotionIdValue = z.string().regex(PROMOTION_ID_PATTERN);

/** The gate's buttons and the rollback confirmation's. Every refusal (not allowed, twice, stale) is private. */
export function registerActions(app: App, deps: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(APPROVE_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    const refuse = refuserFor(client, deps, body);
    const id = PromotionIdValue.safeParse(action.value);
    if (!id.success) return refuse('this button does not name a promotion');
    const requestedAt = gateRequestOf(action.block_id);
    const result = await deps.commands.decide(id.data, 'approve', {
      user: body.user.id,
      ...(requestedAt === undefined ? {} : { requestedAt }),
    });
    deps.log.info({ promotionId: id.data, user: body.user.id, ok: result.ok }, 'approve clicked');
    if (!result.ok) await refuse(result.reason);
  });

  // views.open is the first Web API call: the trigger id is good for 3 s, once, and reading a user group can take
  // longer (Tier 2). Who may decide is checked when the reason is submitted.
  app.action<BlockAction<ButtonAction>>(REJECT_ACTION, async ({ ack, body, action, client }) => {
    await ack();
    const refuse = refuserFor(client, deps, body);
    const id = PromotionIdValue.safeParse(action.value);
    if (!id.success) return refuse('this button does not name a promotion');
    const stored = await deps.promotions.get(id.data);
    if (!stored) return refuse(`no promotion ${id.data}`);
    try {
      await client.views.open({
        trigger_id: body.trigger_id,
        view: renderRejectModal(stored.promotion, body.response_url),
      });
    } catch (error) {
      const { slackError, code } = describeErrorForLog(error);
      deps.log.warn(
        { promotionId: id.data, user: body.user.id, error: slackError ?? code },
        'reject modal not opened',
      );
      return refuse(
        `the form for your reason did not open (Slack said ${slackError ?? code}); click Reject again`,
      );
    }
  });

  app.action<BlockAction<ButtonAction>>(
    ROLLBACK_CONFIRM_ACTION,
    async ({ ack, body, action, respond, client }) => {
      await ack();
      const refuse = refuserFor(client, deps, body);
      const confirmed = decodeRollbackConfirm(action.value);
      if (!confirmed) return refuse('this button does not name a rollback; run /rollback again');
      const user = body.user.id;
      const { plan, reason } = confirmed;
      const result = await deps.commands.confirmRollback(plan, {
        user,
        ...(reason === undefined ? {} : { reason }),
      });
      deps.log.info({ promotionId: plan.promotionId, user, ok: result.ok }, 'rollback confirmed');
      if (!result.ok) return refuse(result.reason);
      await respond({
        response_type: 'in_channel',
        replace_original: false,
        ...renderRollbackStarted(plan, user, reason),
      });
      await respond({ delete_original: true });
    },
  );

  for (const [actionId, decision] of [
    [INCONCLUSIVE_CONTINUE_ACTION, 'continue'],
    [INCONCLUSIVE_ROLLBACK_ACTION, 'rollback'],
  ] as const) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, client }) => {
      await ack();
      const refuse = refuserFor(client, deps, body);
      const id = PromotionIdValue.safeParse(action.value);
      const askedAt = inconclusiveAskedAtOf(action.block_id);
      if (!id.success || askedAt === undefined) return refuse('this button does not name a question');
      const result = await deps.commands.decideInconclusive(id.data, askedAt, decision, {
        user: body.user.id,
      });
      deps.log.info(
        { promotionId: id.data, user: body.user.id, decision, ok: result.ok },
        'missing data answered',
      );
      if (!result.ok) await refuse(result.reason);
    });
  }

  app.action<BlockAction<ButtonAction>>(ROLLBACK_CANCEL_ACTION, async ({ ack, respond }) => {
    await ack();
    await respond({ delete_original: true });
  });
}

/**
 * Tells only the person who clicked why nothing happened; the message they clicked stays as it is. The click's
 * response URL first, so someone who is not in the channel is told too.
 */
function refuserFor(
  client: WebClient,
  deps: SlackDeps,
  body: BlockAction<ButtonAction>,
): (reason: string) => Promise<void> {
  const reply = createPrivateReply(client, deps.log);
  const target = {
    user: body.user.id,
    responseUrl: body.response_url,
    ...(body.channel ? { channel: body.channel.id } : {}),
  };
  return (reason) => reply(target, renderRefusal(reason));
}
