import { describe, expect, it } from 'vitest';
import { type MetricChartInput, renderMetricChartSvg } from '../../../src/chart/index.js';
import { drawnValueScale, nodesOfClass, numberOf, svgNodes } from './svg-elements.js';

const END = Date.parse('2025-03-04T10:15:00.000Z');

/** Samples one `everyMs` apart, the last at END. */
function samplesOf(values: readonly (number | null)[], everyMs = 15_000) {
  return values.map((value, index) => ({
    at: new Date(END - (values.length - 1 - index) * everyMs).toISOString(),
    value,
  }));
}

/** Fields of the example to replace; `max: null` leaves the threshold out. */
type Overrides = Partial<Omit<MetricChartInput, 'max'>> & { readonly max?: number | null };

function chart({ max = 0.01, ...overrides }: Overrides = {}): MetricChartInput {
  return {
    title: 'checkout 2.1.0 · error-rate',
    metric: 'error-rate',
    samples: samplesOf([0.002, 0.004, 0.003, 0.021, 0.034, 0.041]),
    ...(max === null ? {} : { max }),
    ...overrides,
  };
}

describe('the metric chart', () => {
  it('draws the threshold as a dashed red line at the height the value axis gives its value', () => {
    const svg = renderMetricChartSvg(chart());

    const [threshold] = nodesOfClass(svg, 'threshold');
    const y = drawnValueScale(svg);
    expect(numberOf(threshold, 'y1')).toBeCloseTo(y(0.01), 1);
    expect(numberOf(threshold, 'y2')).toBe(numberOf(threshold, 'y1'));
    expect(threshold?.attributes).toMatchObject({
      stroke: '#dc2626',
      'stroke-dasharray': expect.any(String),
    });
  });

  it('draws every check at the height of its value', () => {
    const svg = renderMetricChartSvg(chart());

    const y = drawnValueScale(svg);
    const points = nodesOfClass(svg, 'point');
    expect(points.map((point) => numberOf(point, 'data-value'))).toEqual([
      0.002, 0.004, 0.003, 0.021, 0.034, 0.041,
    ]);
    for (const point of points)
      expect(numberOf(point, 'cy')).toBeCloseTo(y(numberOf(point, 'data-value')), 1);
  });

  it('colours the checks beyond the threshold red, and a value equal to it is not a breach', () => {
    const svg = renderMetricChartSvg(chart({ samples: samplesOf([0.005, 0.01, 0.02, 0.5]) }));

    const points = nodesOfClass(svg, 'point');
    expect(points.map((point) => point.attributes.class)).toEqual([
      'point',
      'point',
      'point breach',
      'point breach',
    ]);
    expect(points.map((point) => point.attributes.fill)).toEqual([
      '#2563eb',
      '#2563eb',
      '#dc2626',
      '#dc2626',
    ]);
  });

  it('treats values below min as breaches, and labels both bounds', () => {
    const svg = renderMetricChartSvg(chart({ samples: samplesOf([50, 12, 3]), min: 10, max: 100 }));

    expect(nodesOfClass(svg, 'breach').map((point) => point.attributes['data-value'])).toEqual(['3']);
    expect(nodesOfClass(svg, 'threshold-label').map((label) => label.text)).toEqual(['max 100', 'min 10']);
  });

  it('puts three to five round ticks on the value axis, covering the data and the threshold', () => {
    const svg = renderMetricChartSvg(chart());

    const ticks = nodesOfClass(svg, 'tick').map((tick) => numberOf(tick, 'data-value'));
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks.length).toBeLessThanOrEqual(5);
    expect(ticks).toEqual([0, 0.02, 0.04, 0.06]);
    expect(nodesOfClass(svg, 'threshold-tick').map((label) => label.text)).toEqual(['0.01']);
    expect(nodesOfClass(svg, 'tick-label').map((label) => label.text)).toContain('0.04');
  });

  it('labels the time axis relative to the end of the analysis window', () => {
    const svg = renderMetricChartSvg(chart({ samples: samplesOf([1, 2, 3, 4, 5, 6, 7, 8, 9]), max: 5 }));

    expect(nodesOfClass(svg, 'time-label').map((label) => label.text)).toEqual([
      '-2m',
      '-1m30s',
      '-1m',
      '-30s',
      'now',
    ]);
  });

  it('ends the time axis at the rollback, and marks it', () => {
    const breachedAt = new Date(END + 30_000).toISOString();
    const svg = renderMetricChartSvg(chart({ samples: samplesOf([0.02, 0.03], 30_000), breachedAt }));

    const labels = nodesOfClass(svg, 'time-label');
    expect(labels.map((label) => label.text)).toEqual(['-1m', '-45s', '-30s', '-15s', 'now']);
    const [marker] = nodesOfClass(svg, 'rollback-marker');
    expect(numberOf(marker, 'x1')).toBe(numberOf(labels.at(-1), 'x'));
  });

  it('breaks the line where a check had no data and marks that check hollow on the baseline', () => {
    const svg = renderMetricChartSvg(chart({ samples: samplesOf([0.01, 0.02, null, 0.03, 0.04]) }));

    expect(nodesOfClass(svg, 'series')).toHaveLength(2);
    const [gap] = nodesOfClass(svg, 'no-data');
    expect(numberOf(gap, 'cy')).toBeCloseTo(drawnValueScale(svg)(0), 1);
    expect(gap?.attributes.fill).toBe('#ffffff');
    expect(nodesOfClass(svg, 'legend-label').map((label) => label.text)).toContain('no data');
  });

  it('escapes the title and the metric name, and drops characters XML does not allow', () => {
    const svg = renderMetricChartSvg(
      chart({ title: 'checkout <script>alert("x")</script> & \'co\'\u0007', metric: 'a"><rect/>' }),
    );

    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<rect/>');
    expect(svg).not.toContain('\u0007');
    expect(nodesOfClass(svg, 'title')[0]?.text).toBe(
      'checkout &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;',
    );
    expect(nodesOfClass(svg, 'legend-label')[0]?.text).toBe('a&quot;&gt;&lt;rect/&gt;');
  });

  it('shortens a title too long for the picture', () => {
    const svg = renderMetricChartSvg(chart({ title: `checkout ${'9'.repeat(200)}`, width: 400 }));

    const title = nodesOfClass(svg, 'title')[0]?.text ?? '';
    expect(title.endsWith('…')).toBe(true);
    expect(title.length).toBeLessThan(50);
  });

  it('has the requested size', () => {
    const svg = renderMetricChartSvg(chart({ width: 600, height: 250 }));

    expect(svgNodes(svg)[0]?.attributes).toMatchObject({
      width: '600',
      height: '250',
      viewBox: '0 0 600 250',
    });
  });
});

const EDGE_CASES: [string, Overrides][] = [
  ['no samples at all', { samples: [] }],
  ['one sample', { samples: samplesOf([0.5]) }],
  ['all values equal', { samples: samplesOf([3, 3, 3]), max: null, min: 1 }],
  ['all values equal to zero, no thresholds', { samples: samplesOf([0, 0]), max: null }],
  ['only checks without data', { samples: samplesOf([null, null, null]) }],
  ['huge values', { samples: samplesOf([1e12, 4e15, 9e18]), max: 1e16 }],
  ['tiny values', { samples: samplesOf([1e-9, 3e-9]), max: 2e-9 }],
  ['negative values', { samples: samplesOf([-5, -2, 4]), min: -3 }],
  ['a threshold far above the data', { samples: samplesOf([0.001, 0.002]), max: 500 }],
  ['a threshold far below the data', { samples: samplesOf([900, 950]), max: 0.5 }],
  ['NaN and infinite values', { samples: samplesOf([Number.NaN, Number.POSITIVE_INFINITY, 1]) }],
  ['times that are not ISO dates', { samples: [{ at: 'yesterday', value: 1 }, ...samplesOf([2])] }],
  ['samples out of order', { samples: samplesOf([1, 2, 3]).reverse() }],
  ['a rollback time before the first check', { breachedAt: new Date(END - 3_600_000).toISOString() }],
  ['a threshold that is not a number', { max: Number.NaN, min: Number.POSITIVE_INFINITY }],
  ['a silly size', { width: 5, height: 1e9 }],
  [
    'hundreds of checks',
    {
      samples: samplesOf(
        Array.from({ length: 240 }, (_, i) => i % 7),
        30_000,
      ),
    },
  ],
];

describe('the metric chart with unusual data', () => {
  it.each(EDGE_CASES)('renders %s without NaN or Infinity in the picture', (_, overrides) => {
    const svg = renderMetricChartSvg(chart(overrides));

    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg).not.toMatch(/NaN|Infinity/);
    const ticks = nodesOfClass(svg, 'tick');
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks.length).toBeLessThanOrEqual(5);
  });

  it('keeps a threshold outside the data on the axis', () => {
    const svg = renderMetricChartSvg(chart({ samples: samplesOf([0.001, 0.002]), max: 5 }));

    const [threshold] = nodesOfClass(svg, 'threshold');
    const top = nodesOfClass(svg, 'tick').at(-1);
    expect(numberOf(top, 'data-value')).toBeGreaterThanOrEqual(5);
    expect(numberOf(threshold, 'y1')).toBeCloseTo(drawnValueScale(svg)(5), 1);
  });

  it('says so when no check had data', () => {
    const svg = renderMetricChartSvg(chart({ samples: samplesOf([null, null]) }));

    expect(nodesOfClass(svg, 'empty-note')[0]?.text).toBe('no data in this window');
    expect(nodesOfClass(svg, 'no-data')).toHaveLength(2);
  });
});
