// The chart as a PNG for Slack: the SVG rendered by resvg with the machine's fonts.
import { createRequire } from 'node:module';
import type { MetricChartInput } from './metric-chart-input.js';
import { renderMetricChartSvg } from './metric-chart-svg.js';

type ResvgModule = typeof import('@resvg/resvg-js');

const require = createRequire(import.meta.url);
let resvgModule: ResvgModule | undefined;

/**
 * resvg's native renderer (about 4 MB resident) is loaded by the first chart, not at start: charts come with
 * automatic rollbacks only, and most processes draw none. A require, not import(), keeps rendering synchronous.
 */
function loadResvg(): ResvgModule {
  if (!resvgModule) {
    const loaded: ResvgModule = require('@resvg/resvg-js');
    resvgModule = loaded;
  }
  return resvgModule;
}

export type ChartFontOptions = {
  /** Scan the system's font directories (default true). */
  readonly loadSystemFonts?: boolean;
  /** Extra font files, e.g. one shipped with the image. */
  readonly fontFiles?: readonly string[];
};

/**
 * Renders the chart. Without any usable font the text is left out and the picture still renders: a chart
 * without labels is better than a rollback notice without a chart.
 */
export function renderMetricChartPng(input: MetricChartInput, fonts: ChartFontOptions = {}): Buffer {
  const svg = renderMetricChartSvg(input);
  const { Resvg } = loadResvg();
  const resvg = new Resvg(svg, {
    font: {
      loadSystemFonts: fonts.loadSystemFonts ?? true,
      fontFiles: [...(fonts.fontFiles ?? [])],
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
    fitTo: { mode: 'original' },
    background: '#ffffff',
    logLevel: 'off',
  });
  return resvg.render().asPng();
}
