import type { Notifier } from '../engine/ports.js';

/** Tells every notifier, in order; one that fails makes the effect fail, so the outbox retries it. */
export function combineNotifiers(notifiers: readonly Notifier[]): Notifier {
  return {
    async notify(promotion, notice) {
      for (const notifier of notifiers) await notifier.notify(promotion, notice);
    },
  };
}
