import { describe, expect, it } from 'vitest';
import { formatTicks, formatValue } from '../../../src/chart/format-value.js';
import { niceScale } from '../../../src/chart/nice-scale.js';
import { formatDuration, timeTicks } from '../../../src/chart/time-ticks.js';

describe('the value scale', () => {
  it.each([
    [
      [0.002, 0.041, 0.01],
      [0, 0.02, 0.04, 0.06],
    ],
    [
      [0.5, 0.1],
      [0, 0.2, 0.4, 0.6],
    ],
    [
      [0, 1],
      [0, 0.25, 0.5, 0.75, 1],
    ],
    [
      [250, 250],
      [0, 100, 200, 300],
    ],
    [
      [-5, 4],
      [-5, -2.5, 0, 2.5, 5],
    ],
    [
      [-7.5, 8],
      [-10, -5, 0, 5, 10],
    ],
    [
      [1.2e12, 6e12],
      [0, 2e12, 4e12, 6e12],
    ],
    [[], [0, 0.25, 0.5, 0.75, 1]],
  ])('puts round ticks around %j', (values, ticks) => {
    expect(niceScale(values).ticks).toEqual(ticks);
  });

  it('always has three to five ticks that cover the values', () => {
    for (let exponent = -9; exponent <= 15; exponent += 1) {
      for (const spread of [1, 1.3, 2.6, 4.9, 7.1, 9.99]) {
        const values = [spread * 10 ** exponent, (spread / 3) * 10 ** exponent];
        const scale = niceScale(values);
        expect(scale.ticks.length, `${values}`).toBeGreaterThanOrEqual(3);
        expect(scale.ticks.length, `${values}`).toBeLessThanOrEqual(5);
        expect(scale.high).toBeGreaterThanOrEqual(Math.max(...values));
      }
    }
  });
});

describe('numbers on the chart', () => {
  it.each([
    [0.01, '0.01'],
    [0.0123456, '0.01235'],
    [250, '250'],
    [12_500, '12.5k'],
    [4e12, '4T'],
    [3e-7, '3e-7'],
    [-0.5, '-0.5'],
    [0, '0'],
  ])('writes %d as %s', (value, text) => {
    expect(formatValue(value)).toBe(text);
  });

  it('gives ticks the decimals of their step', () => {
    expect(formatTicks([0, 0.25, 0.5], 0.25)).toEqual(['0', '0.25', '0.50']);
    expect(formatTicks([0, 20_000, 40_000], 20_000)).toEqual(['0', '20k', '40k']);
    expect(formatTicks([-0.2, 0, 0.2], 0.2)).toEqual(['-0.2', '0', '0.2']);
  });
});

describe('the time axis', () => {
  it('counts back from the end in round steps', () => {
    expect(timeTicks(0, 180_000).map((tick) => tick.label)).toEqual(['-3m', '-2m', '-1m', 'now']);
    expect(timeTicks(0, 3_000).map((tick) => tick.label)).toEqual(['-3s', '-2s', '-1s', 'now']);
    expect(timeTicks(500, 500)).toEqual([{ at: 500, label: 'now' }]);
  });

  it('writes durations the short way', () => {
    expect([45_000, 120_000, 90_000, 21_600_000, 5_400_000].map(formatDuration)).toEqual([
      '45s',
      '2m',
      '1m30s',
      '6h',
      '1h30m',
    ]);
  });
});
