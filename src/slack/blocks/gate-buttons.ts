import type { ActionsBlock } from '@slack/types';
import { productionOf, type Service } from '../../domain/pipeline.js';
import type { Promotion } from '../../domain/promotion.js';
import { button } from './button.js';
import { truncate } from './text.js';
import { APPROVE_ACTION, GATE_BLOCK, gateBlockId, REJECT_ACTION } from './wire-ids.js';

/** Approve and Reject, each carrying the promotion id and asking for confirmation first. */
export function gateButtons(promotion: Promotion, service: Service): ActionsBlock {
  const target = productionOf(service).name;
  const name = `${service.name} ${truncate(promotion.artifact.version, 60)}`;
  const approve = button({
    actionId: APPROVE_ACTION,
    value: promotion.id,
    label: 'Approve',
    style: 'primary',
    confirm: { title: 'Approve release', text: `Deploy ${name} to ${target}?`, yes: 'Deploy', no: 'Cancel' },
  });
  const reject = button({
    actionId: REJECT_ACTION,
    value: promotion.id,
    label: 'Reject',
    style: 'danger',
    confirm: {
      title: 'Reject release',
      text: `Reject ${name} for ${target}? You will be asked for a reason.`,
      yes: 'Reject',
      no: 'Cancel',
    },
  });
  const { phase } = promotion;
  const blockId = phase.kind === 'awaiting_approval' ? gateBlockId(phase.requestedAt) : GATE_BLOCK;
  return { type: 'actions', block_id: blockId, elements: [approve, reject] };
}
