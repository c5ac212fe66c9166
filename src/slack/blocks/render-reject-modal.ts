import type { ModalView } from '@slack/types';
import type { Promotion } from '../../domain/promotion.js';
import { releaseName, shortDigest } from './format.js';
import { encodeRejectModalMetadata } from './reject-modal-metadata.js';
import { section } from './slack-message.js';
import {
  REJECT_MODAL_CALLBACK,
  REJECT_REASON_ACTION,
  REJECT_REASON_BLOCK,
  REJECT_REASON_MAX_LENGTH,
} from './wire-ids.js';

/**
 * Asks why they reject; the promotion id (and the click's response URL, for a refusal after the submit) travels in
 * `private_metadata`. Whether they may decide is checked on submit, so the modal says nothing about it.
 */
export function renderRejectModal(promotion: Promotion, responseUrl?: string): ModalView {
  const { artifact } = promotion;
  return {
    type: 'modal',
    callback_id: REJECT_MODAL_CALLBACK,
    private_metadata: encodeRejectModalMetadata({
      promotionId: promotion.id,
      ...(responseUrl === undefined ? {} : { responseUrl }),
    }),
    title: { type: 'plain_text', text: 'Reject release' },
    submit: { type: 'plain_text', text: 'Reject' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(
        `Rejecting *${releaseName(artifact.service, artifact.version)}* (${shortDigest(artifact.digest)}) for production. The release is held and your reason is shown on the approval message.`,
      ),
      {
        type: 'input',
        block_id: REJECT_REASON_BLOCK,
        label: { type: 'plain_text', text: 'Reason' },
        element: {
          type: 'plain_text_input',
          action_id: REJECT_REASON_ACTION,
          multiline: true,
          min_length: 1,
          max_length: REJECT_REASON_MAX_LENGTH,
          placeholder: { type: 'plain_text', text: 'What is wrong with this release?' },
        },
      },
    ],
  };
}
