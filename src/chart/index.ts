export {
  type MetricChartInput,
  type MetricChartSample,
  type RollbackChartSource,
  toMetricChartInput,
} from './metric-chart-input.js';
export { renderMetricChartSvg } from './metric-chart-svg.js';
export { type ChartFontOptions, renderMetricChartPng } from './render-png.js';
