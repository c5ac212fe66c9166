import type { ActionsBlock, Button } from '@slack/types';
import type { Service } from '../../domain/pipeline.js';
import type { Promotion } from '../../domain/promotion.js';
import { APPROVE_ACTION, REJECT_ACTION } from './action-ids.js';
import { truncate } from './text.js';

/** Approve and Reject, each carrying the promotion id and asking for confirmation first. */
export function gateButtons(promotion: Promotion, service: Service): ActionsBlock {
  const target = service.environments.at(-1)?.name ?? 'production';
  const name = `${service.name} ${truncate(promotion.artifact.version, 60)}`;
  const approve: Button = {
    type: 'button',
    action_id: APPROVE_ACTION,
    value: promotion.id,
    style: 'primary',
    text: { type: 'plain_text', text: 'Approve', emoji: true },
    confirm: {
      title: { type: 'plain_text', text: 'Approve release' },
      text: { type: 'plain_text', text: truncate(`Deploy ${name} to ${target}?`, 300) },
      confirm: { type: 'plain_text', text: 'Deploy' },
      deny: { type: 'plain_text', text: 'Cancel' },
    },
  };
  const reject: Button = {
    type: 'button',
    action_id: REJECT_ACTION,
    value: promotion.id,
    style: 'danger',
    text: { type: 'plain_text', text: 'Reject', emoji: true },
    confirm: {
      title: { type: 'plain_text', text: 'Reject release' },
      text: {
        type: 'plain_text',
        text: truncate(`Reject ${name} for ${target}? You will be asked for a reason.`, 300),
      },
      confirm: { type: 'plain_text', text: 'Reject' },
      deny: { type: 'plain_text', text: 'Cancel' },
      style: 'danger',
    },
  };
  return { type: 'actions', block_id: 'promotion.gate', elements: [approve, reject] };
}
