// The chart shown in the docs (docs/images/rollback-chart.png): an error rate that climbs through its
// threshold during a canary, with one check that had no data.
import type { MetricChartInput } from '../../../src/chart/index.js';

const END = Date.parse('2025-03-04T10:15:00.000Z');
const VALUES = [0.002, 0.003, 0.002, 0.004, 0.003, null, 0.002, 0.003, 0.004, 0.003, 0.021, 0.034, 0.041];

export const rollbackExample: MetricChartInput = {
  title: 'checkout 2.1.0 · error-rate',
  metric: 'error-rate',
  samples: VALUES.map((value, index) => ({
    at: new Date(END - (VALUES.length - 1 - index) * 15_000).toISOString(),
    value,
  })),
  max: 0.01,
  breachedAt: new Date(END).toISOString(),
};
