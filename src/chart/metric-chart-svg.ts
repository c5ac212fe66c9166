// A small line chart of one metric against its threshold, for the rollback notice: pure, string in, SVG out.
import { renderTimeAxis, renderValueAxis } from './chart-axes.js';
import { boundsOf, type ChartBound, isBreach } from './chart-bounds.js';
import { type ChartFrame, chartFrame } from './chart-frame.js';
import { type LegendItem, renderLegend } from './chart-legend.js';
import { renderSeries } from './chart-series.js';
import { CHART_COLORS, CHART_FONT, fitText } from './chart-style.js';
import { formatValue } from './format-value.js';
import type { MetricChartInput } from './metric-chart-input.js';
import { svgElement, svgText } from './svg-element.js';

export function renderMetricChartSvg(input: MetricChartInput): string {
  const frame = chartFrame(input);
  const bounds = boundsOf(input);
  const { width, height } = frame;
  const content = [
    svgElement('rect', { width, height, fill: CHART_COLORS.background }),
    svgText(
      { class: 'title', x: 16, y: 24, 'font-size': 15, 'font-weight': 'bold', fill: CHART_COLORS.title },
      fitText(input.title, 15, width - 32),
    ),
    renderLegend(legendOf(input, frame, bounds), 16, 45, width - 32),
    breachZones(frame, bounds),
    renderValueAxis(frame, bounds),
    renderTimeAxis(frame),
    thresholdLines(frame, bounds),
    rollbackMarker(frame),
    renderSeries(frame, bounds),
  ];
  return svgElement(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      'font-family': CHART_FONT,
    },
    content.join(''),
  );
}

function legendOf(input: MetricChartInput, frame: ChartFrame, bounds: readonly ChartBound[]): LegendItem[] {
  const values = frame.points.flatMap((point) => (point.value === null ? [] : [point.value]));
  return [
    { mark: 'series', label: input.metric },
    ...bounds.map((bound): LegendItem => ({ mark: 'threshold', label: boundLabel(bound) })),
    ...(values.some((value) => isBreach(value, bounds))
      ? [{ mark: 'breach', label: 'breach' } as const]
      : []),
    ...(frame.points.some((point) => point.value === null)
      ? [{ mark: 'no-data', label: 'no data' } as const]
      : []),
    ...(frame.breachedAt === undefined ? [] : [{ mark: 'rollback', label: 'rollback' } as const]),
  ];
}

function boundLabel(bound: ChartBound): string {
  return `${bound.kind} ${formatValue(bound.value)}`;
}

/** A pale red band over the values that breach: where the line must not go. */
function breachZones(frame: ChartFrame, bounds: readonly ChartBound[]): string {
  const { plot } = frame;
  return bounds
    .map((bound) => {
      const y = frame.y(bound.value);
      const [top, bottom] = bound.kind === 'max' ? [plot.top, y] : [y, plot.bottom];
      if (bottom - top <= 0) return '';
      return svgElement('rect', {
        class: 'breach-zone',
        x: plot.left,
        y: top,
        width: plot.right - plot.left,
        height: bottom - top,
        fill: CHART_COLORS.breachZone,
      });
    })
    .join('');
}

function thresholdLines(frame: ChartFrame, bounds: readonly ChartBound[]): string {
  const { plot } = frame;
  return bounds
    .map((bound) => {
      const y = frame.y(bound.value);
      // Inside the breach zone when there is room: the label sits on the side the line guards.
      const above = bound.kind === 'max' ? y - 6 > plot.top + 10 : y + 14 > plot.bottom - 2;
      const line = svgElement('line', {
        class: 'threshold',
        'data-value': String(bound.value),
        x1: plot.left,
        y1: y,
        x2: plot.right,
        y2: y,
        stroke: CHART_COLORS.breach,
        'stroke-width': 1.5,
        'stroke-dasharray': '6 4',
      });
      const label = svgText(
        {
          class: 'threshold-label',
          x: plot.left + 6,
          y: above ? y - 6 : y + 14,
          'font-size': 11,
          'font-weight': 'bold',
          fill: CHART_COLORS.breach,
        },
        boundLabel(bound),
      );
      return line + label;
    })
    .join('');
}

/** When the rollback was decided: a dashed vertical line (the legend names it). */
function rollbackMarker(frame: ChartFrame): string {
  if (frame.breachedAt === undefined) return '';
  const x = frame.x(frame.breachedAt);
  return svgElement('line', {
    class: 'rollback-marker',
    x1: x,
    y1: frame.plot.top,
    x2: x,
    y2: frame.plot.bottom,
    stroke: CHART_COLORS.marker,
    'stroke-width': 1.5,
    'stroke-dasharray': '3 2',
  });
}
