// The metric itself: a line through the checks that had a value, broken where one had none; a dot per check,
// red when it breached; a hollow dot on the baseline for a check without data; the latest value spelled out.
import { type ChartBound, isBreach } from './chart-bounds.js';
import type { ChartFrame, ChartPoint } from './chart-frame.js';
import { CHART_COLORS } from './chart-style.js';
import { formatValue } from './format-value.js';
import { svgElement, svgText } from './svg-element.js';

type Measured = { readonly time: number; readonly value: number };

export function renderSeries(frame: ChartFrame, bounds: readonly ChartBound[]): string {
  const radius = frame.points.length > 60 ? 2 : 3;
  const lines = runsOf(frame.points)
    .filter((run) => run.length > 1)
    .map((run) =>
      svgElement('polyline', {
        class: 'series',
        points: run
          .map((point) => `${coordinate(frame.x(point.time))},${coordinate(frame.y(point.value))}`)
          .join(' '),
        fill: 'none',
        stroke: CHART_COLORS.series,
        'stroke-width': 2,
        'stroke-linejoin': 'round',
      }),
    );
  const dots = frame.points.map((point) => dot(frame, point, bounds, radius));
  return lines.join('') + dots.join('') + latestValue(frame, bounds) + emptyNote(frame);
}

function dot(frame: ChartFrame, point: ChartPoint, bounds: readonly ChartBound[], radius: number): string {
  const x = frame.x(point.time);
  if (point.value === null) {
    return svgElement('circle', {
      class: 'no-data',
      cx: x,
      cy: frame.plot.bottom,
      r: radius,
      fill: CHART_COLORS.background,
      stroke: CHART_COLORS.noData,
      'stroke-width': 1.5,
    });
  }
  const breach = isBreach(point.value, bounds);
  return svgElement('circle', {
    class: breach ? 'point breach' : 'point',
    'data-value': String(point.value),
    cx: x,
    cy: frame.y(point.value),
    r: breach ? radius + 0.5 : radius,
    fill: breach ? CHART_COLORS.breach : CHART_COLORS.series,
    stroke: CHART_COLORS.background,
    'stroke-width': 1,
  });
}

function latestValue(frame: ChartFrame, bounds: readonly ChartBound[]): string {
  const latest = frame.points.findLast((point): point is Measured => point.value !== null);
  if (latest === undefined) return '';
  const x = frame.x(latest.time);
  const y = frame.y(latest.value);
  const nearTop = y - 10 < frame.plot.top + 4;
  return svgText(
    {
      class: 'latest-value',
      x: x - 6,
      y: nearTop ? y + 16 : y - 9,
      'text-anchor': 'end',
      'font-size': 12,
      'font-weight': 'bold',
      fill: isBreach(latest.value, bounds) ? CHART_COLORS.breach : CHART_COLORS.series,
    },
    formatValue(latest.value),
  );
}

function emptyNote(frame: ChartFrame): string {
  if (frame.points.some((point) => point.value !== null)) return '';
  const { plot } = frame;
  return svgText(
    {
      class: 'empty-note',
      x: (plot.left + plot.right) / 2,
      y: (plot.top + plot.bottom) / 2,
      'text-anchor': 'middle',
      'font-size': 13,
      fill: CHART_COLORS.noData,
    },
    'no data in this window',
  );
}

/** Consecutive points with a value: the line is drawn through each run and broken at every gap. */
function runsOf(points: readonly ChartPoint[]): Measured[][] {
  const runs: Measured[][] = [[]];
  for (const point of points) {
    if (point.value === null) runs.push([]);
    else runs.at(-1)?.push({ time: point.time, value: point.value });
  }
  return runs;
}

function coordinate(value: number): number {
  return Math.round(value * 100) / 100;
}
