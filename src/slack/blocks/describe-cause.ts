import type { Measurement, RollbackCause } from '../../domain/promotion.js';
import { formatNumber, mention } from './format.js';
import { escapeMrkdwn, inlineCode, truncate } from './text.js';

/** `error-rate 0.2 > max 0.01`, `latency-p99 0.3 (max 0.4)`, `error-rate: no data (reason)`. */
export function describeMeasurement(m: Measurement): string {
  const name = `*${escapeMrkdwn(truncate(m.metric, 80))}*`;
  if (m.value === undefined) {
    return `${name} no usable value${m.reason ? `: ${escapeMrkdwn(truncate(m.reason, 300))}` : ''}`;
  }
  const value = formatNumber(m.value);
  if (m.verdict === 'breach') {
    if (m.max !== undefined && m.value > m.max) return `${name} ${value} > max ${formatNumber(m.max)}`;
    if (m.min !== undefined && m.value < m.min) return `${name} ${value} < min ${formatNumber(m.min)}`;
  }
  return `${name} ${value}${bounds(m)}`;
}

function bounds(m: Measurement): string {
  const parts = [
    ...(m.min === undefined ? [] : [`min ${formatNumber(m.min)}`]),
    ...(m.max === undefined ? [] : [`max ${formatNumber(m.max)}`]),
  ];
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

function inARow(checks: number): string {
  return `${checks} check${checks === 1 ? '' : 's'} in a row`;
}

/** Why a rollback happened, as lines of mrkdwn: the first line says it in a sentence. */
export function describeCause(cause: RollbackCause): string[] {
  switch (cause.kind) {
    case 'metric-breach': {
      const breaches = cause.measurements.filter((m) => m.verdict === 'breach');
      const shown = breaches.length > 0 ? breaches : cause.measurements;
      return [
        `Metrics breached their thresholds for ${inARow(cause.checks)}:`,
        ...shown.map((m) => `• ${describeMeasurement(m)}`),
      ];
    }
    case 'inconclusive': {
      const unusable = cause.measurements.filter((m) => m.verdict === 'inconclusive');
      return [
        `No usable metric values for ${inARow(cause.checks)}:`,
        ...(unusable.length > 0 ? unusable : cause.measurements).map((m) => `• ${describeMeasurement(m)}`),
        ...(cause.decidedBy
          ? [`Asked whether to go on without it, ${mention(cause.decidedBy)} chose to roll back.`]
          : []),
      ];
    }
    case 'step-failed':
      return [`Step ${inlineCode(cause.step)} failed during the rollout.`];
    case 'manual':
      return [
        `Rolled back by hand by ${mention(cause.by)}${cause.reason ? `: ${escapeMrkdwn(truncate(cause.reason, 1000))}` : '.'}`,
      ];
  }
}

/** One short phrase for a status line: `error-rate 0.2 > max 0.01, 2 checks in a row`. */
export function summariseCause(cause: RollbackCause): string {
  switch (cause.kind) {
    case 'metric-breach': {
      const first = cause.measurements.find((m) => m.verdict === 'breach') ?? cause.measurements[0];
      return `${first ? describeMeasurement(first) : 'metric breach'}, ${inARow(cause.checks)}`;
    }
    case 'inconclusive':
      return `no usable metric values, ${inARow(cause.checks)}${cause.decidedBy ? `; ${mention(cause.decidedBy)} chose to roll back` : ''}`;
    case 'step-failed':
      return `step ${inlineCode(cause.step)} failed`;
    case 'manual':
      return `by ${mention(cause.by)}${cause.reason ? `: ${escapeMrkdwn(truncate(cause.reason, 200))}` : ''}`;
  }
}
