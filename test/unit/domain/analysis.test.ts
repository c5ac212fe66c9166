import { describe, expect, it } from 'vitest';
import { analysisSchedule, countCheck, decide, judge, measure } from '../../../src/domain/analysis.js';
import type { Measurement } from '../../../src/domain/promotion.js';
import { aMetric, aMonitor, MINUTE, SECOND } from '../../support/pipeline-builder.js';

function verdictOf(verdict: Measurement['verdict'], metric = 'm'): Measurement {
  return { metric, verdict };
}

describe('measure', () => {
  it('finds a value at or below its max healthy', () => {
    expect(measure(aMetric({ max: 0.01 }), { kind: 'value', value: 0.01 })).toEqual({
      metric: 'error-rate',
      value: 0.01,
      max: 0.01,
      verdict: 'healthy',
    });
  });

  it('finds a value above its max a breach and says so', () => {
    const measurement = measure(aMetric({ max: 0.01 }), { kind: 'value', value: 0.05 });

    expect(measurement).toEqual({
      metric: 'error-rate',
      value: 0.05,
      max: 0.01,
      verdict: 'breach',
      reason: '0.05 > max 0.01',
    });
  });

  it('finds a value below its min a breach and says so', () => {
    const measurement = measure(aMetric({ min: 100 }, 'throughput'), { kind: 'value', value: 40 });

    expect(measurement).toEqual({
      metric: 'throughput',
      value: 40,
      min: 100,
      verdict: 'breach',
      reason: '40 < min 100',
    });
  });

  it('finds a value at its min healthy', () => {
    expect(measure(aMetric({ min: 100 }), { kind: 'value', value: 100 }).verdict).toBe('healthy');
  });

  it('checks both bounds when a metric has a min and a max', () => {
    const metric = aMetric({ min: 0.1, max: 0.4 }, 'latency-p99');

    expect(measure(metric, { kind: 'value', value: 0.2 })).toMatchObject({
      verdict: 'healthy',
      min: 0.1,
      max: 0.4,
    });
    expect(measure(metric, { kind: 'value', value: 0.05 }).verdict).toBe('breach');
    expect(measure(metric, { kind: 'value', value: 0.5 }).verdict).toBe('breach');
  });

  it('leaves out the bound a metric does not have', () => {
    const measurement = measure(aMetric({ max: 1 }), { kind: 'value', value: 0 });

    expect('min' in measurement).toBe(false);
  });

  it('finds no data inconclusive, never healthy, and keeps the reason', () => {
    const measurement = measure(aMetric(), { kind: 'no-data', reason: 'the query returned no series' });

    expect(measurement).toEqual({
      metric: 'error-rate',
      max: 0.01,
      verdict: 'inconclusive',
      reason: 'the query returned no series',
    });
  });

  it('finds a provider error inconclusive', () => {
    const measurement = measure(aMetric(), { kind: 'error', reason: 'connection refused' });

    expect(measurement).toMatchObject({ verdict: 'inconclusive', reason: 'connection refused' });
    expect(measurement.value).toBeUndefined();
  });

  it('finds a value that is not a number inconclusive rather than healthy', () => {
    const measurement = measure(aMetric({ min: 0, max: 0.01 }), { kind: 'value', value: Number.NaN });

    expect(measurement.verdict).toBe('inconclusive');
  });

  it('finds an infinite value above a max a breach', () => {
    expect(measure(aMetric({ max: 0.01 }), { kind: 'value', value: Number.POSITIVE_INFINITY }).verdict).toBe(
      'breach',
    );
  });
});

describe('judge', () => {
  it('is healthy when every metric is healthy', () => {
    expect(judge([verdictOf('healthy'), verdictOf('healthy')])).toBe('healthy');
  });

  it('is a breach when any metric breaches, whatever the others say', () => {
    expect(judge([verdictOf('healthy'), verdictOf('inconclusive'), verdictOf('breach')])).toBe('breach');
  });

  it('is inconclusive when a metric has no value and none breaches', () => {
    expect(judge([verdictOf('healthy'), verdictOf('inconclusive')])).toBe('inconclusive');
  });

  it('is healthy for a check that measured nothing (a plain pause)', () => {
    expect(judge([])).toBe('healthy');
  });
});

describe('countCheck', () => {
  it('resets both counts on a healthy check', () => {
    expect(countCheck({ breaches: 3, inconclusive: 2 }, 'healthy')).toEqual({ breaches: 0, inconclusive: 0 });
  });

  it('adds a breach and resets the inconclusive run on a breach', () => {
    expect(countCheck({ breaches: 1, inconclusive: 2 }, 'breach')).toEqual({ breaches: 2, inconclusive: 0 });
  });

  it('adds an inconclusive check without interrupting a run of breaches', () => {
    expect(countCheck({ breaches: 1, inconclusive: 0 }, 'inconclusive')).toEqual({
      breaches: 1,
      inconclusive: 1,
    });
  });
});

describe('decide', () => {
  const limits = { failureLimit: 2, inconclusiveLimit: 3 };

  it('continues below both limits', () => {
    expect(decide({ breaches: 1, inconclusive: 2 }, limits)).toBe('continue');
  });

  it('rolls back for breaches at the failure limit', () => {
    expect(decide({ breaches: 2, inconclusive: 0 }, limits)).toBe('rollback-breach');
  });

  it('rolls back for missing data at the inconclusive limit', () => {
    expect(decide({ breaches: 0, inconclusive: 3 }, limits)).toBe('rollback-inconclusive');
  });

  it('names the breaches when both limits are reached', () => {
    expect(decide({ breaches: 2, inconclusive: 3 }, limits)).toBe('rollback-breach');
  });
});

describe('analysisSchedule', () => {
  it('fits one check per interval in the window', () => {
    const schedule = analysisSchedule(5 * MINUTE, aMonitor({ intervalMs: 30 * SECOND }));

    expect(schedule.checks).toBe(10);
    expect(schedule.delayBefore(1)).toBe(30 * SECOND);
    expect(schedule.delayBefore(2)).toBe(30 * SECOND);
    expect(schedule.delayBefore(10)).toBe(30 * SECOND);
  });

  it('waits the initial delay before the first check and fits the rest after it', () => {
    const schedule = analysisSchedule(
      5 * MINUTE,
      aMonitor({ intervalMs: MINUTE, initialDelayMs: 2 * MINUTE }),
    );

    expect(schedule.checks).toBe(3);
    expect(schedule.delayBefore(1)).toBe(3 * MINUTE);
    expect(schedule.delayBefore(2)).toBe(MINUTE);
  });

  it('keeps every check inside the window', () => {
    const monitor = aMonitor({ intervalMs: 45 * SECOND, initialDelayMs: 20 * SECOND });
    const schedule = analysisSchedule(5 * MINUTE, monitor);

    let elapsed = 0;
    for (let check = 1; check <= schedule.checks; check++) elapsed += schedule.delayBefore(check);

    expect(schedule.checks).toBe(6);
    expect(elapsed).toBeLessThanOrEqual(5 * MINUTE);
    expect(elapsed + monitor.intervalMs).toBeGreaterThan(5 * MINUTE);
  });

  it('makes at least one check when the window is shorter than an interval', () => {
    const schedule = analysisSchedule(10 * SECOND, aMonitor({ intervalMs: 30 * SECOND }));

    expect(schedule.checks).toBe(1);
  });

  it('makes no check for a window of zero', () => {
    expect(analysisSchedule(0, aMonitor()).checks).toBe(0);
    expect(analysisSchedule(0, undefined).checks).toBe(0);
  });

  it('turns a window without a monitor into one pause the length of the window', () => {
    const schedule = analysisSchedule(5 * MINUTE, undefined);

    expect(schedule.checks).toBe(1);
    expect(schedule.delayBefore(1)).toBe(5 * MINUTE);
  });

  it('treats a monitor without metrics as a plain pause', () => {
    const schedule = analysisSchedule(2 * MINUTE, aMonitor({ metrics: [] }));

    expect(schedule).toMatchObject({ checks: 1 });
    expect(schedule.delayBefore(1)).toBe(2 * MINUTE);
  });
});
