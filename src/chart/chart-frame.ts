// Where things go: the plot area inside the picture, and the two scales that map time and value onto it.
import { boundsOf } from './chart-bounds.js';
import type { MetricChartInput } from './metric-chart-input.js';
import { type NiceScale, niceScale } from './nice-scale.js';
import { type TimeTick, timeTicks } from './time-ticks.js';

export type ChartPoint = { readonly time: number; readonly value: number | null };

export type ChartFrame = {
  readonly width: number;
  readonly height: number;
  readonly plot: {
    readonly left: number;
    readonly top: number;
    readonly right: number;
    readonly bottom: number;
  };
  /** The samples with a valid time, oldest first; non-finite values are null (no data). */
  readonly points: readonly ChartPoint[];
  readonly values: NiceScale;
  readonly times: readonly TimeTick[];
  readonly breachedAt?: number;
  x(time: number): number;
  y(value: number): number;
};

const MARGIN = { left: 60, top: 58, right: 18, bottom: 30 } as const;
/** Keeps the first and last points off the axes. */
const INSET = 12;

export function chartFrame(input: MetricChartInput): ChartFrame {
  const width = clampSize(input.width, 720, 240, 2400);
  const height = clampSize(input.height, 320, 160, 1600);
  const plot = {
    left: MARGIN.left,
    top: MARGIN.top,
    right: width - MARGIN.right,
    bottom: height - MARGIN.bottom,
  };
  const points = toPoints(input);
  const breachedAt = parseTime(input.breachedAt);
  // The window runs from the first check to the last one or the rollback, whichever is later.
  const times = [...points.map((point) => point.time), ...(breachedAt === undefined ? [] : [breachedAt])];
  const start = times.length === 0 ? 0 : Math.min(...times);
  const end = times.length === 0 ? 0 : Math.max(...times);
  const values = niceScale([
    ...points.flatMap((point) => (point.value === null ? [] : [point.value])),
    ...boundsOf(input).map((bound) => bound.value),
  ]);
  const innerWidth = plot.right - plot.left - 2 * INSET;
  return {
    width,
    height,
    plot,
    points,
    values,
    times: timeTicks(start, end),
    ...(breachedAt === undefined ? {} : { breachedAt }),
    x: (time) =>
      end === start
        ? (plot.left + plot.right) / 2
        : plot.left + INSET + ((time - start) / (end - start)) * innerWidth,
    y: (value) =>
      plot.bottom - ((value - values.low) / (values.high - values.low)) * (plot.bottom - plot.top),
  };
}

function toPoints(input: MetricChartInput): ChartPoint[] {
  return input.samples
    .map((sample) => ({
      time: parseTime(sample.at),
      value: sample.value !== null && Number.isFinite(sample.value) ? sample.value : null,
    }))
    .filter((point): point is ChartPoint => point.time !== undefined)
    .sort((a, b) => a.time - b.time);
}

function parseTime(at: string | undefined): number | undefined {
  if (at === undefined) return undefined;
  const time = Date.parse(at);
  return Number.isNaN(time) ? undefined : time;
}

function clampSize(requested: number | undefined, fallback: number, least: number, most: number): number {
  if (requested === undefined || !Number.isFinite(requested)) return fallback;
  return Math.min(most, Math.max(least, Math.round(requested)));
}
