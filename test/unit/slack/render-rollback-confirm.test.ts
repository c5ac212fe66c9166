import { describe, expect, it } from 'vitest';
import type { RollbackPlan } from '../../../src/domain/rollback-confirmation.js';
import {
  renderRollbackConfirm,
  renderRollbackStarted,
} from '../../../src/slack/blocks/render-rollback-confirm.js';
import {
  decodeRollbackConfirm,
  encodeRollbackConfirm,
} from '../../../src/slack/blocks/rollback-confirm-value.js';
import { buttonsOf, expectInert, expectValidBlocks, textOf } from './block-kit.js';
import { HOSTILE } from './promotions.js';

const PLAN: RollbackPlan = {
  service: 'shop',
  environment: 'production',
  promotionId: 'p-42abc',
  from: '1.1.0',
  to: '1.0.0',
};

describe('renderRollbackConfirm', () => {
  it('asks "Roll back shop production from 1.1.0 to 1.0.0?" with Confirm behind a dialog, and Cancel', () => {
    const message = renderRollbackConfirm(PLAN, 'bad migration');

    expectValidBlocks(message.blocks);
    expect(message.text).toBe('Roll back shop production from 1.1.0 to 1.0.0?');
    expect(textOf(message.blocks)).toContain('Reason: bad migration');
    const [confirm, cancel] = buttonsOf(message.blocks);
    expect(confirm).toMatchObject({ action_id: 'promotion.rollback.confirm', style: 'danger' });
    expect(confirm?.confirm?.text.text).toBe(
      'Roll back shop production from 1.1.0 to 1.0.0? 1.1.0 stops serving traffic.',
    );
    expect(cancel).toMatchObject({ action_id: 'promotion.rollback.cancel' });
  });

  it('carries the rollback it asks about on the button, and reads it back', () => {
    const [confirm] = buttonsOf(renderRollbackConfirm(PLAN, 'bad migration').blocks);
    expect(decodeRollbackConfirm(confirm?.value)).toEqual({ plan: PLAN, reason: 'bad migration' });
    expect(decodeRollbackConfirm(encodeRollbackConfirm(PLAN, undefined))).toEqual({ plan: PLAN });
  });

  it('keeps a hostile reason inert', () => {
    expectInert(renderRollbackConfirm(PLAN, HOSTILE));
    expectInert(renderRollbackStarted(PLAN, 'U0ALICE', HOSTILE));
  });

  it('says in the channel who rolls back what', () => {
    expect(renderRollbackStarted(PLAN, 'U0ALICE', 'bad migration').text).toBe(
      '<@U0ALICE> is rolling back shop production from 1.1.0 to 1.0.0: bad migration',
    );
  });
});

describe('decodeRollbackConfirm', () => {
  it.each([
    ['nothing', undefined],
    ['not JSON', 'p-42abc'],
    ['JSON null', 'null'],
    ['a missing version', JSON.stringify({ ...PLAN, to: undefined })],
    ['an extra key', JSON.stringify({ ...PLAN, by: 'U0ALICE' })],
    ['a version with spaces', JSON.stringify({ ...PLAN, from: '1.1.0 now' })],
    ['a bad promotion id', JSON.stringify({ ...PLAN, promotionId: '../x' })],
    ['a reason too long', JSON.stringify({ ...PLAN, reason: 'x'.repeat(501) })],
  ])('refuses %s', (_, value) => {
    expect(decodeRollbackConfirm(value)).toBeUndefined();
  });
});
