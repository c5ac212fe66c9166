// Numbers as a chart shows them: short, and the same number of decimals along one axis.

const SUFFIXES = [
  { divisor: 1e12, suffix: 'T' },
  { divisor: 1e9, suffix: 'G' },
  { divisor: 1e6, suffix: 'M' },
  { divisor: 1e3, suffix: 'k' },
] as const;

/** One value on its own (a threshold, the last sample): at most 4 significant digits, `12.5k`, `1e-7`. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3) return trimExponent(value.toExponential(2));
  if (magnitude >= 1e15) return trimExponent(value.toExponential(2));
  const rounded = Number(value.toPrecision(4));
  const unit = SUFFIXES.find(({ divisor }) => Math.abs(rounded) >= divisor);
  if (unit === undefined) return String(rounded);
  return `${Number((rounded / unit.divisor).toPrecision(4))}${unit.suffix}`;
}

/** The labels of evenly spaced ticks, with as many decimals as their step needs. */
export function formatTicks(ticks: readonly number[], step: number): string[] {
  const largest = Math.max(...ticks.map(Math.abs), 0);
  if (largest >= 1e15 || (step < 1e-6 && largest < 1e-3)) {
    return ticks.map((tick) => (tick === 0 ? '0' : trimExponent(tick.toExponential(2))));
  }
  const unit = largest >= 1e4 ? SUFFIXES.find(({ divisor }) => largest >= divisor) : undefined;
  const divisor = unit?.divisor ?? 1;
  const decimals = decimalsOf(step / divisor);
  return ticks.map((tick) => (tick === 0 ? '0' : `${fixed(tick / divisor, decimals)}${unit?.suffix ?? ''}`));
}

function fixed(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  // -0.00 reads as a different number from 0.00.
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

function decimalsOf(step: number): number {
  const text = String(Number(step.toPrecision(6)));
  const exponent = /e-(\d+)$/.exec(text);
  if (exponent) return Math.min(10, Number(exponent[1]));
  return Math.min(10, text.split('.')[1]?.length ?? 0);
}

function trimExponent(text: string): string {
  return text.replace(/\.?0+e/, 'e').replace('e+', 'e');
}
