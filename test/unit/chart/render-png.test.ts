import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type MetricChartInput, renderMetricChartPng } from '../../../src/chart/index.js';
import { rollbackExample } from './rollback-example.js';
import { PNG_SIGNATURE, pngSize } from './svg-elements.js';

function fontsInstalled(): boolean {
  try {
    return readdirSync('/usr/share/fonts', { recursive: true }).some((name) =>
      /\.(ttf|otf)$/i.test(String(name)),
    );
  } catch {
    return false;
  }
}

describe('the metric chart as a PNG', () => {
  it('is a PNG of 720 x 320 by default', () => {
    const png = renderMetricChartPng(rollbackExample);

    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(pngSize(png)).toEqual({ width: 720, height: 320 });
  });

  it('has the requested size', () => {
    const png = renderMetricChartPng({ ...rollbackExample, width: 600, height: 260 });

    expect(pngSize(png)).toEqual({ width: 600, height: 260 });
  });

  it('renders without any font, leaving the text out, rather than failing', () => {
    const png = renderMetricChartPng(rollbackExample, { loadSystemFonts: false, fontFiles: [] });

    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(pngSize(png)).toEqual({ width: 720, height: 320 });
  });

  it.runIf(fontsInstalled())('draws its text with the fonts of the machine', () => {
    const withFonts = renderMetricChartPng(rollbackExample);
    const withoutFonts = renderMetricChartPng(rollbackExample, { loadSystemFonts: false });

    expect(withFonts.equals(withoutFonts)).toBe(false);
  });

  it.each<[string, Partial<MetricChartInput>]>([
    ['markup and control characters in the title', { title: '<svg onload="x">&\u0000\u001f"\'' }],
    ['no samples', { samples: [] }],
    ['only checks without data', { samples: rollbackExample.samples.map((s) => ({ ...s, value: null })) }],
    [
      'huge and negative values',
      { samples: rollbackExample.samples.map((s, i) => ({ ...s, value: (i - 6) * 1e15 })) },
    ],
  ])('renders %s', (_, overrides) => {
    const png = renderMetricChartPng({ ...rollbackExample, ...overrides });

    expect(pngSize(png)).toEqual({ width: 720, height: 320 });
  });
});
