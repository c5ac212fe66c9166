import { expect } from 'vitest';
import { buttonsOf, type EphemeralMessage } from '../../support/fake-slack/index.js';
import { waitFor } from '../../support/wait-for.js';
import { DEPLOYS, type Reply, type SlackHarness } from './slack-harness.js';

// /rollback asks first: these read the private question back from the fake and click its buttons.

export const CONFIRM = 'promotion.rollback.confirm';
export const CANCEL = 'promotion.rollback.cancel';

/** Sends `/rollback <text>` as `user` and returns the private question it got, with its Confirm button. */
export async function askRollback(s: SlackHarness, text: string, user: string): Promise<EphemeralMessage> {
  const before = s.fake.ephemerals(DEPLOYS).length;
  const reply = await s.replyTo(await s.slash('/rollback', text, user));
  expect(reply.response_type).toBe('ephemeral');
  return waitFor('the rollback question', () =>
    s.fake
      .ephemerals(DEPLOYS)
      .slice(before)
      .find((m) => m.user === user && buttonsOf(m).some((b) => b.actionId === CONFIRM)),
  );
}

/** Clicks Confirm (or Cancel) on the question as `user`: the same value, whoever clicks and however often. */
export function clickRollback(
  s: SlackHarness,
  question: EphemeralMessage,
  user: string,
  actionId: string = CONFIRM,
): Promise<Reply> {
  const value = buttonsOf(question).find((b) => b.actionId === actionId)?.value ?? '';
  return s.clickValue(actionId, value, { ...question, attachments: [], edits: 0, bot_id: '' }, user);
}
