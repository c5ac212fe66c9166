import type { Notifier } from '../engine/ports.js';
import type { Logger } from '../logger.js';

/** Notices as log lines: enough until a chat adapter is plugged in, and always on alongside one. */
export function createLogNotifier(log: Logger): Notifier {
  return {
    async notify(promotion, notice) {
      const { service, version } = promotion.artifact;
      log.info({ promotionId: promotion.id, service, version, ...notice }, `notice: ${notice.kind}`);
    },
  };
}
