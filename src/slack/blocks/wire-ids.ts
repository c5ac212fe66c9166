// The wire ids of everything a person clicks or submits, and what they carry: written once, read by the
// renderers that put them on buttons and modals and by the listeners that answer them. The gate's two action ids
// are the contract's.
import { PROMOTION_ID_PATTERN } from '../../domain/promotion.js';

export { PROMOTION_ID_PATTERN };

export const APPROVE_ACTION = 'promotion.approve';
export const REJECT_ACTION = 'promotion.reject';
export const GATE_BLOCK = 'promotion.gate';

/**
 * The gate's buttons sit in a block named after the request they answer (`promotion.gate.<requested at, ms>`): the
 * contract fixes their value to the promotion id, so this is how a click on a gate since closed and asked again is
 * told from one on the newest.
 */
export function gateBlockId(requestedAt: string): string {
  return `${GATE_BLOCK}.${Date.parse(requestedAt)}`;
}

/** When the request a gate block answers was asked, or undefined for a block that does not say. */
export function gateRequestOf(blockId: string | undefined): string | undefined {
  const match = /^promotion\.gate\.(\d{1,15})$/.exec(blockId ?? '');
  if (!match) return undefined;
  const at = new Date(Number(match[1]));
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

export const ROLLBACK_CONFIRM_ACTION = 'promotion.rollback.confirm';
export const ROLLBACK_CANCEL_ACTION = 'promotion.rollback.cancel';
export const ROLLBACK_BLOCK = 'promotion.rollback';

export const REJECT_MODAL_CALLBACK = 'promotion.reject_reason';
export const REJECT_REASON_BLOCK = 'reason';
export const REJECT_REASON_ACTION = 'reason';
/** The reject modal's input takes at most this many characters, and the listener accepts no more. */
export const REJECT_REASON_MAX_LENGTH = 1000;

/** The question about missing data (`onInconclusive: ask`): Continue or Roll back, each carrying the promotion id. */
export const INCONCLUSIVE_CONTINUE_ACTION = 'promotion.inconclusive.continue';
export const INCONCLUSIVE_ROLLBACK_ACTION = 'promotion.inconclusive.rollback';
export const INCONCLUSIVE_BLOCK = 'promotion.inconclusive';

/** The question's buttons sit in a block named after when it was asked, as the gate's do. */
export function inconclusiveBlockId(askedAt: string): string {
  return `${INCONCLUSIVE_BLOCK}.${Date.parse(askedAt)}`;
}

export function inconclusiveAskedAtOf(blockId: string | undefined): string | undefined {
  const match = /^promotion\.inconclusive\.(\d{1,15})$/.exec(blockId ?? '');
  if (!match) return undefined;
  const at = new Date(Number(match[1]));
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}
