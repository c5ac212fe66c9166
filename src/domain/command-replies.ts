// What a command did, as a person would say it in the channel. Each reply is the sentence after its subject: the
// channel reply puts the person in front ("@alice put shop production on hold: freeze for the demo").

import ms from 'ms';
import { phaseInWords, utcMinute } from './phase-words.js';
import { productionIndex, type Service } from './pipeline.js';
import type { Hold, Promotion } from './promotion.js';
import { environmentIndexOf } from './promotion-view.js';

function releaseOf(promotion: Promotion): string {
  return `${promotion.artifact.service} ${promotion.artifact.version}`;
}

function nameAt(service: Service, index: number): string {
  return service.environments[index]?.name ?? `environment ${index + 1}`;
}

/** `promoted shop 1.1.0 to staging`, or `asked for approval of shop 1.1.0 for production` at the gate. */
export function promotedReply(promotion: Promotion, service: Service): string {
  const release = releaseOf(promotion);
  const { phase } = promotion;
  switch (phase.kind) {
    case 'awaiting_approval':
      return `asked for approval of ${release} for ${nameAt(service, productionIndex(service))}`;
    case 'entering':
    case 'deploying':
    case 'testing':
    case 'rolling_out':
      return `promoted ${release} to ${nameAt(service, environmentIndexOf(promotion, service))}`;
    case 'blocked':
      return `promoted ${release}: it is held before ${nameAt(service, phase.environment)} (${phase.hold.reason})`;
    default:
      return `promoted ${release}: it is now ${phaseInWords(phase, service)}`;
  }
}

/** `approved shop 1.1.0 for production`, `rejected shop 1.1.0 for production: <reason>`. */
export function decidedReply(promotion: Promotion, service: Service, decision: 'approve' | 'reject'): string {
  const what = `${releaseOf(promotion)} for ${nameAt(service, productionIndex(service))}`;
  if (decision === 'approve') return `approved ${what}`;
  return promotion.phase.kind === 'rejected'
    ? `rejected ${what}: ${promotion.phase.reason}`
    : `rejected ${what}`;
}

/** `forced shop 1.1.0 to start again from development`. */
export function forcedReply(promotion: Promotion, service: Service): string {
  return `forced ${releaseOf(promotion)} to start again from ${nameAt(service, 0)}`;
}

/**
 * `put shop production on hold: <reason>`, or `… on hold for 2 hours (until 2026-03-01 11:00 UTC): <reason>`;
 * without an environment, every environment of the service.
 */
export function holdPlacedReply(service: string, hold: Hold): string {
  const lasting = hold.until
    ? ` for ${ms(Date.parse(hold.until) - Date.parse(hold.at), { long: true })} (until ${utcMinute(hold.until)})`
    : '';
  return `put ${heldPlace(service, hold.environment)} on hold${lasting}: ${hold.reason}`;
}

/** `lifted the hold on shop production`. */
export function holdLiftedReply(service: string, environment: string | undefined): string {
  return `lifted the hold on ${heldPlace(service, environment)}`;
}

function heldPlace(service: string, environment: string | undefined): string {
  return environment === undefined ? `every environment of ${service}` : `${service} ${environment}`;
}

/** `shop 1.1.0, waiting for approval for production`: a promotion in one line. */
export function describePromotion(promotion: Promotion, service: Service | undefined): string {
  return service
    ? `${releaseOf(promotion)}, ${phaseInWords(promotion.phase, service)}`
    : releaseOf(promotion);
}
