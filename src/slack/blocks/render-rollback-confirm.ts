import type { ActionsBlock, KnownBlock } from '@slack/types';
import type { RollbackPlan } from '../../domain/rollback-confirmation.js';
import { button } from './button.js';
import { mention } from './format.js';
import { encodeRollbackConfirm } from './rollback-confirm-value.js';
import { section } from './slack-message.js';
import { escapeMrkdwn, stripInvisible, truncate } from './text.js';
import { ROLLBACK_BLOCK, ROLLBACK_CANCEL_ACTION, ROLLBACK_CONFIRM_ACTION } from './wire-ids.js';

/** `shop production from 1.1.0 to 1.0.0`, as plain text (escaped where it goes into mrkdwn). */
function what(plan: RollbackPlan): string {
  return `${plan.service} ${plan.environment} from ${plan.from} to ${plan.to}`;
}

/**
 * The private question a `/rollback` gets: "Roll back shop production from 1.1.0 to 1.0.0?", with Confirm
 * (behind Slack's confirm dialog) and Cancel. The versions ride on the button, so a stale click does nothing.
 */
export function renderRollbackConfirm(
  plan: RollbackPlan,
  reason: string | undefined,
): { text: string; blocks: KnownBlock[] } {
  const question = `Roll back ${what(plan)}?`;
  const because = reason ? `\nReason: ${escapeMrkdwn(truncate(reason, 500))}` : '';
  const actions: ActionsBlock = {
    type: 'actions',
    block_id: ROLLBACK_BLOCK,
    elements: [
      button({
        actionId: ROLLBACK_CONFIRM_ACTION,
        value: encodeRollbackConfirm(plan, reason),
        label: 'Roll back',
        style: 'danger',
        confirm: {
          title: 'Roll back production',
          text: `${stripInvisible(question)} ${plan.from} stops serving traffic.`,
          yes: 'Roll back',
          no: 'Keep it',
        },
      }),
      button({ actionId: ROLLBACK_CANCEL_ACTION, value: 'cancel', label: 'Cancel' }),
    ],
  };
  return {
    text: escapeMrkdwn(question),
    blocks: [section(`:leftwards_arrow_with_hook: *${escapeMrkdwn(question)}*${because}`), actions],
  };
}

/** What the channel sees once confirmed: who is rolling back what, and why. */
export function renderRollbackStarted(
  plan: RollbackPlan,
  by: string,
  reason: string | undefined,
): { text: string; blocks: KnownBlock[] } {
  const line = `${mention(by)} is rolling back ${escapeMrkdwn(what(plan))}${reason ? `: ${escapeMrkdwn(truncate(reason, 500))}` : ''}`;
  return { text: line, blocks: [section(`:leftwards_arrow_with_hook: ${line}`)] };
}
