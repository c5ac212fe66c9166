// The legend under the title: only the marks this chart actually draws.
import { CHART_COLORS, fitText, textWidth } from './chart-style.js';
import { svgElement, svgText } from './svg-element.js';

export type LegendItem = {
  readonly mark: 'series' | 'threshold' | 'breach' | 'no-data' | 'rollback';
  readonly label: string;
};

const FONT_SIZE = 11;
const GAP = 18;
const SWATCH = 22;

/**
 * Items left to right. The first (the metric, whose name may be long) is shortened to fit; an item that does
 * not fit after it is left out rather than cut off.
 */
export function renderLegend(items: readonly LegendItem[], left: number, y: number, width: number): string {
  let x = left;
  const parts: string[] = [];
  for (const [index, item] of items.entries()) {
    const room = left + width - x - SWATCH - 4;
    const label = index === 0 ? fitText(item.label, FONT_SIZE, Math.min(room, width / 2)) : item.label;
    if (textWidth(label, FONT_SIZE) > room) break;
    parts.push(swatch(item.mark, x, y - 4), svgText({ x: x + SWATCH + 4, y, class: 'legend-label' }, label));
    x += SWATCH + 4 + textWidth(label, FONT_SIZE) + GAP;
  }
  return svgElement(
    'g',
    { class: 'legend', 'font-size': FONT_SIZE, fill: CHART_COLORS.text },
    parts.join(''),
  );
}

function swatch(mark: LegendItem['mark'], x: number, y: number): string {
  const middle = x + SWATCH / 2;
  switch (mark) {
    case 'series':
      return (
        svgElement('line', {
          x1: x,
          y1: y,
          x2: x + SWATCH,
          y2: y,
          stroke: CHART_COLORS.series,
          'stroke-width': 2,
        }) + svgElement('circle', { cx: middle, cy: y, r: 3, fill: CHART_COLORS.series })
      );
    case 'threshold':
      return svgElement('line', {
        x1: x,
        y1: y,
        x2: x + SWATCH,
        y2: y,
        stroke: CHART_COLORS.breach,
        'stroke-width': 1.5,
        'stroke-dasharray': '5 3',
      });
    case 'breach':
      return svgElement('circle', { cx: middle, cy: y, r: 3.5, fill: CHART_COLORS.breach });
    case 'no-data':
      return svgElement('circle', {
        cx: middle,
        cy: y,
        r: 3,
        fill: '#ffffff',
        stroke: CHART_COLORS.noData,
        'stroke-width': 1.5,
      });
    case 'rollback':
      return svgElement('line', {
        x1: middle,
        y1: y - 6,
        x2: middle,
        y2: y + 6,
        stroke: CHART_COLORS.marker,
        'stroke-width': 1.5,
        'stroke-dasharray': '3 2',
      });
  }
}
