import { describe, expect, it } from 'vitest';
import { renderMetricChartSvg, toMetricChartInput } from '../../../src/chart/index.js';
import { nodesOfClass } from './svg-elements.js';

const source = {
  service: 'checkout',
  version: '2.1.0',
  measurement: { metric: 'error-rate', value: 0.2, max: 0.01, verdict: 'breach' as const },
  samples: [
    { at: '2025-03-04T10:14:45.000Z', step: 0, values: { 'error-rate': 0.2 } },
    { at: '2025-03-04T10:15:00.000Z', step: 0, values: { 'error-rate': null } },
  ],
};

describe('the rollback chart of a rollout', () => {
  it('is titled with the artifact, the metric and the rollout step it breached at', () => {
    const input = toMetricChartInput({ ...source, breachedStep: 'breached at canary 10% (step 1 of 3)' });

    expect(input.title).toBe('checkout 2.1.0 · error-rate · breached at canary 10% (step 1 of 3)');
    expect(nodesOfClass(renderMetricChartSvg(input), 'title')[0]?.text).toBe(input.title);
  });

  it('leaves the step out of the title when it is not known, and keeps checks without data as gaps', () => {
    const input = toMetricChartInput(source);

    expect(input.title).toBe('checkout 2.1.0 · error-rate');
    expect(input.samples.map((sample) => sample.value)).toEqual([0.2, null]);
    expect(input.max).toBe(0.01);
  });
});
