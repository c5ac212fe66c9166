// The wire ids of everything a person clicks or submits: written once, read by the renderers that put them on
// buttons and by the listeners that answer them. The gate's two are the contract's.

export const APPROVE_ACTION = 'promotion.approve';
export const REJECT_ACTION = 'promotion.reject';
export const ROLLBACK_CONFIRM_ACTION = 'promotion.rollback.confirm';
export const ROLLBACK_CANCEL_ACTION = 'promotion.rollback.cancel';
