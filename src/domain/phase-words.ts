// Where a promotion is, in the words a person would use: refusals and command replies say "waiting for approval
// for production", never the state machine's `awaiting_approval`.
import { productionIndex, type Service } from './pipeline.js';
import type { Phase } from './promotion.js';

/** `2026-03-01 11:00 UTC`: a time in a refusal, which no Slack date formatting reaches. */
export function utcMinute(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** `deploying to staging`, `waiting for approval for production`, `rolled back from production`. */
export function phaseInWords(phase: Phase, service: Service): string {
  const env = (index: number) => service.environments[index]?.name ?? `environment ${index + 1}`;
  const production = env(productionIndex(service));
  switch (phase.kind) {
    case 'entering':
      return `queued for ${env(phase.environment)}`;
    case 'deploying':
      return `deploying to ${env(phase.environment)}`;
    case 'testing':
      return `being tested in ${env(phase.environment)}`;
    case 'soaking':
      return `soaking in ${env(phase.environment)}`;
    case 'waiting':
      return `waiting for a /promote after ${env(phase.environment)}`;
    case 'blocked':
      return `held before ${env(phase.environment)}`;
    case 'awaiting_approval':
      return `waiting for approval for ${production}`;
    case 'rejected':
      return `rejected for ${production}`;
    case 'approval_expired':
      return `held: its ${production} approval request expired`;
    case 'rolling_out':
      return `rolling out to ${production}`;
    case 'rolling_back':
      return `being rolled back in ${production}`;
    case 'failed':
      return phase.rollbackFailed
        ? `failed to roll back in ${env(phase.environment)}`
        : `failed in ${env(phase.environment)}`;
    case 'rolled_back':
      return `rolled back from ${production}`;
    case 'released':
      return `released to ${production}`;
    case 'superseded':
      return `superseded by ${phase.by}`;
  }
}
