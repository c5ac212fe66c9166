import { describe, expect, it } from 'vitest';
import { parseJsonPath, resolveJsonPath } from '../../../src/metrics/http-json/json-path.js';

function read(document: unknown, path: string): unknown {
  const parsed = parseJsonPath(path);
  if (!parsed.ok) throw new Error(parsed.error);
  return resolveJsonPath(document, parsed.segments);
}

describe('json paths', () => {
  const document = {
    value: 0.25,
    data: { p99: 0.4, 'latency-ms': 12 },
    series: [{ value: 1 }, { value: 2, points: [[0, 7]] }],
  };

  it('reads a top-level key, a dotted path and an array element', () => {
    expect(read(document, 'value')).toEqual({ found: true, value: 0.25 });
    expect(read(document, 'data.p99')).toEqual({ found: true, value: 0.4 });
    expect(read(document, 'series[1].value')).toEqual({ found: true, value: 2 });
    expect(read(document, 'series[1].points[0][1]')).toEqual({ found: true, value: 7 });
  });

  it('accepts a leading $. and keys with dashes', () => {
    expect(read(document, '$.data.latency-ms')).toEqual({ found: true, value: 12 });
    expect(read([5, 6], '$[1]')).toEqual({ found: true, value: 6 });
    expect(read([5, 6], '[0]')).toEqual({ found: true, value: 5 });
  });

  it('names the first part that is missing', () => {
    expect(read(document, 'data.p50')).toEqual({ found: false, missing: '$.data.p50' });
    expect(read(document, 'series[5].value')).toEqual({ found: false, missing: '$.series[5]' });
    expect(read(document, 'value.inner')).toEqual({ found: false, missing: '$.value.inner' });
    expect(read(document, 'data[0]')).toEqual({ found: false, missing: '$.data[0]' });
  });

  it('does not read properties inherited from the object prototype', () => {
    expect(read({}, 'constructor')).toEqual({ found: false, missing: '$.constructor' });
    expect(read({ a: 1 }, '__proto__')).toEqual({ found: false, missing: '$.__proto__' });
  });

  it('rejects paths it cannot read and says what a path looks like', () => {
    for (const path of ['', 'a..b', 'a.', 'a[x]', 'a[-1]', 'a[0', 'a.[0]', 'a b]']) {
      const parsed = parseJsonPath(path);
      expect(parsed.ok, path).toBe(false);
    }
    expect(parseJsonPath('a..b')).toEqual({
      ok: false,
      error: '"a..b" is not a path like value, data.p99 or series[0].value',
    });
  });
});
