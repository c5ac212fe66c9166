import type { MetricThreshold, Monitor } from './pipeline.js';
import type { Measurement } from './promotion.js';

/** What a metrics provider returned for one query. */
export type MetricReading =
  | { readonly kind: 'value'; readonly value: number }
  | { readonly kind: 'no-data'; readonly reason: string }
  | { readonly kind: 'error'; readonly reason: string };

export type Verdict = Measurement['verdict'];

/** Compares one reading with its threshold. No data and provider errors are inconclusive, never a pass. */
export function measure(metric: MetricThreshold, reading: MetricReading): Measurement {
  const bounds = {
    ...(metric.min === undefined ? {} : { min: metric.min }),
    ...(metric.max === undefined ? {} : { max: metric.max }),
  };
  if (reading.kind !== 'value') {
    return { metric: metric.name, ...bounds, verdict: 'inconclusive', reason: reading.reason };
  }
  const { value } = reading;
  // NaN compares false with both bounds: without this it would pass as healthy.
  if (Number.isNaN(value)) {
    return { metric: metric.name, ...bounds, verdict: 'inconclusive', reason: 'the value is not a number' };
  }
  if (metric.max !== undefined && value > metric.max) {
    return {
      metric: metric.name,
      value,
      ...bounds,
      verdict: 'breach',
      reason: `${value} > max ${metric.max}`,
    };
  }
  if (metric.min !== undefined && value < metric.min) {
    return {
      metric: metric.name,
      value,
      ...bounds,
      verdict: 'breach',
      reason: `${value} < min ${metric.min}`,
    };
  }
  return { metric: metric.name, value, ...bounds, verdict: 'healthy' };
}

/** One check's verdict: any breach wins, then any inconclusive metric; healthy only when every metric is. */
export function judge(measurements: readonly Measurement[]): Verdict {
  if (measurements.some((m) => m.verdict === 'breach')) return 'breach';
  if (measurements.some((m) => m.verdict === 'inconclusive')) return 'inconclusive';
  return 'healthy';
}

export type AnalysisCounters = { readonly breaches: number; readonly inconclusive: number };

export type AnalysisDecision = 'continue' | 'rollback-breach' | 'rollback-inconclusive';

/**
 * Counts consecutive bad checks. A healthy check resets both counts; a breach resets the inconclusive count
 * but an inconclusive check does not interrupt a run of breaches (missing data is no evidence of health).
 */
export function countCheck(counters: AnalysisCounters, verdict: Verdict): AnalysisCounters {
  if (verdict === 'healthy') return { breaches: 0, inconclusive: 0 };
  if (verdict === 'breach') return { breaches: counters.breaches + 1, inconclusive: 0 };
  return { breaches: counters.breaches, inconclusive: counters.inconclusive + 1 };
}

export function decide(
  counters: AnalysisCounters,
  monitor: Pick<Monitor, 'failureLimit' | 'inconclusiveLimit'>,
): AnalysisDecision {
  if (counters.breaches >= monitor.failureLimit) return 'rollback-breach';
  if (counters.inconclusive >= monitor.inconclusiveLimit) return 'rollback-inconclusive';
  return 'continue';
}

export type AnalysisSchedule = {
  /** How many checks the window holds (0: the step is not analysed). */
  readonly checks: number;
  /** Delay before check `n` (1-based), counted from the previous check or the step's deploy. */
  readonly delayBefore: (check: number) => number;
  /** When check `n` is due, counted from the start of the analysis: checks keep a fixed cadence. */
  readonly dueAfter: (check: number) => number;
};

/**
 * Checks fall every `interval` after the initial delay, as many as fit in the window and at least one.
 * Without a monitor a window is a plain pause: one "check" that measures nothing when it ends.
 */
export function analysisSchedule(windowMs: number, monitor: Monitor | undefined): AnalysisSchedule {
  if (windowMs <= 0) return { checks: 0, delayBefore: () => 0, dueAfter: () => 0 };
  if (!monitor || monitor.metrics.length === 0)
    return { checks: 1, delayBefore: () => windowMs, dueAfter: () => windowMs };
  const checks = Math.max(1, Math.floor((windowMs - monitor.initialDelayMs) / monitor.intervalMs));
  return {
    checks,
    delayBefore: (check) => (check === 1 ? monitor.initialDelayMs + monitor.intervalMs : monitor.intervalMs),
    dueAfter: (check) => monitor.initialDelayMs + check * monitor.intervalMs,
  };
}
