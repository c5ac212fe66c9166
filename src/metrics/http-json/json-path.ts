// A small JSON path: dotted keys with optional [index], e.g. `value`, `data.p99`, `series[0].value`, `$.data[1]`.
// Enough to point at one number in a metrics endpoint's answer; no wildcards, filters or quoting.

export type JsonPathSegment = { kind: 'key'; key: string } | { kind: 'index'; index: number };

export type ParsedJsonPath = { ok: true; segments: JsonPathSegment[] } | { ok: false; error: string };

const PART = /^([^.[\]]*)((?:\[\d+\])*)$/;

/** Parses a path; the error says what is wrong with it (so the pipeline loader can report it). */
export function parseJsonPath(path: string): ParsedJsonPath {
  const body = path.startsWith('$') ? path.slice(1).replace(/^\./, '') : path;
  if (body === '') {
    return path.startsWith('$') ? { ok: true, segments: [] } : { ok: false, error: 'the path is empty' };
  }
  const segments: JsonPathSegment[] = [];
  for (const [position, part] of body.split('.').entries()) {
    const match = PART.exec(part);
    const key = match?.[1] ?? '';
    const indexes = match?.[2] ?? '';
    if (!match || (key === '' && (indexes === '' || position > 0))) {
      return { ok: false, error: `"${path}" is not a path like value, data.p99 or series[0].value` };
    }
    if (key !== '') segments.push({ kind: 'key', key });
    for (const index of indexes.matchAll(/\[(\d+)\]/g))
      segments.push({ kind: 'index', index: Number(index[1]) });
  }
  return { ok: true, segments };
}

export type ResolvedJsonPath = { found: true; value: unknown } | { found: false; missing: string };

/** The value at the path; `missing` names the first part that is not there. */
export function resolveJsonPath(document: unknown, segments: readonly JsonPathSegment[]): ResolvedJsonPath {
  let current: unknown = document;
  let walked = '$';
  for (const segment of segments) {
    walked = segment.kind === 'key' ? `${walked}.${segment.key}` : `${walked}[${segment.index}]`;
    const next = step(current, segment);
    if (!next.found) return { found: false, missing: walked };
    current = next.value;
  }
  return { found: true, value: current };
}

function step(current: unknown, segment: JsonPathSegment): ResolvedJsonPath {
  if (segment.kind === 'index') {
    if (!Array.isArray(current) || segment.index >= current.length) return { found: false, missing: '' };
    return { found: true, value: current[segment.index] };
  }
  if (typeof current !== 'object' || current === null || Array.isArray(current))
    return { found: false, missing: '' };
  if (!Object.hasOwn(current, segment.key)) return { found: false, missing: '' };
  return { found: true, value: Reflect.get(current, segment.key) };
}
