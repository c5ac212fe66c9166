import type { InputBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { renderRejectModal } from '../../../src/slack/blocks/render-reject-modal.js';
import { expectInert, expectValidModal, textOf } from './block-kit.js';
import { aPromotion, HOSTILE } from './promotions.js';

describe('renderRejectModal', () => {
  const view = renderRejectModal(aPromotion());

  it('is a valid modal that carries the promotion id and names its callback', () => {
    expectValidModal(view);
    expect(view).toMatchObject({
      type: 'modal',
      callback_id: 'promotion.reject_reason',
      private_metadata: 'p-42',
      title: { text: 'Reject release' },
      submit: { text: 'Reject' },
    });
  });

  it('asks for a required, multiline reason under block and action id "reason"', () => {
    const input = view.blocks.find((block): block is InputBlock => block.type === 'input');
    expect(input?.block_id).toBe('reason');
    expect(input?.optional).not.toBe(true);
    expect(input?.element).toMatchObject({ type: 'plain_text_input', action_id: 'reason', multiline: true });
  });

  it('says which release is being rejected', () => {
    expect(textOf(view.blocks)).toContain('Rejecting *checkout 1.4.2* (`sha256:0123456789ab`)');
  });

  it('stays valid and inert for a hostile version', () => {
    const hostile = renderRejectModal(aPromotion({ artifact: { version: HOSTILE.repeat(40) } }));
    expectValidModal(hostile);
    expectInert(hostile);
  });
});
