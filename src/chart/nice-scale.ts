// The value axis: a domain that holds the data and the thresholds, widened to 3-5 round ticks.

export type NiceScale = {
  readonly low: number;
  readonly high: number;
  readonly step: number;
  readonly ticks: readonly number[];
};

const MANTISSAS = [1, 2, 2.5, 5] as const;
const MAX_TICKS = 5;

/**
 * Round ticks covering `values` and zero: the smallest step of 1, 2, 2.5 or 5 x 10^n that needs at most five
 * ticks. Zero stays on the axis so that a rate or a latency is read against its baseline, and so that a flat
 * series (all values equal) still has a range to be drawn in.
 */
export function niceScale(values: readonly number[]): NiceScale {
  const finite = values.filter(Number.isFinite);
  // With zero in the domain, `low < high` unless every value is zero.
  const low = Math.min(...finite, 0);
  const high = Math.max(...finite, 0);
  return ticksFor(low, high === low ? low + 1 : high);
}

function ticksFor(low: number, high: number): NiceScale {
  const exponent = Math.floor(Math.log10((high - low) / (MAX_TICKS - 1)));
  for (let power = exponent - 1; power <= exponent + 2; power += 1) {
    for (const mantissa of MANTISSAS) {
      const step = mantissa * 10 ** power;
      const first = Math.floor(low / step + 1e-9);
      const last = Math.ceil(high / step - 1e-9);
      if (last - first + 1 > MAX_TICKS) continue;
      const ticks = Array.from({ length: last - first + 1 }, (_, index) => round((first + index) * step));
      return { low: round(first * step), high: round(last * step), step, ticks };
    }
  }
  // Unreachable for finite numbers; two ticks keep the chart drawable if it ever happens.
  return { low, high, step: high - low, ticks: [low, high] };
}

function round(value: number): number {
  return Number(value.toPrecision(12));
}
