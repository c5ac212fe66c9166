// The value axis (round ticks as grid lines, thresholds labelled in red) and the relative time axis.
import type { ChartBound } from './chart-bounds.js';
import type { ChartFrame } from './chart-frame.js';
import { CHART_COLORS } from './chart-style.js';
import { formatTicks, formatValue } from './format-value.js';
import { svgElement, svgText } from './svg-element.js';

const FONT_SIZE = 11;
/** A tick label this close to a threshold's label gives way to it. */
const LABEL_CLEARANCE = 12;

export function renderValueAxis(frame: ChartFrame, bounds: readonly ChartBound[]): string {
  const { plot, values } = frame;
  const labels = formatTicks(values.ticks, values.step);
  const thresholdYs = bounds.map((bound) => frame.y(bound.value));
  const ticks = values.ticks.map((tick, index) => {
    const y = frame.y(tick);
    const grid = svgElement('line', {
      class: 'tick',
      'data-value': String(tick),
      x1: plot.left,
      y1: y,
      x2: plot.right,
      y2: y,
      stroke: CHART_COLORS.grid,
    });
    const crowded = thresholdYs.some((thresholdY) => Math.abs(thresholdY - y) < LABEL_CLEARANCE);
    const label = crowded
      ? ''
      : svgText({ class: 'tick-label', x: plot.left - 8, y: y + 4 }, labels[index] ?? '');
    return grid + label;
  });
  const thresholds = bounds.map((bound) =>
    svgText(
      { class: 'threshold-tick', x: plot.left - 8, y: frame.y(bound.value) + 4, fill: CHART_COLORS.breach },
      formatValue(bound.value),
    ),
  );
  return svgElement(
    'g',
    { class: 'value-axis', 'font-size': FONT_SIZE, fill: CHART_COLORS.text, 'text-anchor': 'end' },
    [...ticks, ...thresholds].join(''),
  );
}

export function renderTimeAxis(frame: ChartFrame): string {
  const { plot } = frame;
  const baseline = svgElement('line', {
    x1: plot.left,
    y1: plot.bottom,
    x2: plot.right,
    y2: plot.bottom,
    stroke: CHART_COLORS.axis,
  });
  const ticks = frame.times.map((tick) => {
    const x = frame.x(tick.at);
    return (
      svgElement('line', { x1: x, y1: plot.bottom, x2: x, y2: plot.bottom + 4, stroke: CHART_COLORS.axis }) +
      svgText({ class: 'time-label', x, y: plot.bottom + 18 }, tick.label)
    );
  });
  return svgElement(
    'g',
    { class: 'time-axis', 'font-size': FONT_SIZE, fill: CHART_COLORS.text, 'text-anchor': 'middle' },
    baseline + ticks.join(''),
  );
}
