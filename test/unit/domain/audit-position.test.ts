import { describe, expect, it } from 'vitest';
import {
  type AuditPosition,
  compareAuditPositions,
  formatAuditId,
  parseAuditId,
  parseAuditSince,
  positionOf,
  streamStart,
} from '../../../src/domain/audit-position.js';

const at = (service: string, ms: number, seq = 0): AuditPosition => ({ service, ms, seq });

describe('audit entry ids', () => {
  it('name the service and the stream id, and read back as the same position', () => {
    const position = at('checkout', 1767225600000, 3);

    expect(formatAuditId(position)).toBe('checkout:1767225600000-3');
    expect(parseAuditId('checkout:1767225600000-3')).toEqual(position);
    expect(positionOf('checkout', '1767225600000-3')).toEqual(position);
  });

  it.each(['checkout', 'checkout:1-', 'Checkout:1-0', ':1-0', 'checkout:1-0-0', 'checkout:x-0'])(
    'refuses %s as an id',
    (text) => {
      expect(parseAuditId(text)).toBeUndefined();
    },
  );

  it('orders by time, then sequence, then service', () => {
    const sorted = [at('b', 2), at('a', 1, 1), at('b', 1, 0), at('a', 1, 0), at('a', 2)].sort(
      compareAuditPositions,
    );

    expect(sorted.map(formatAuditId)).toEqual(['a:1-0', 'b:1-0', 'a:1-1', 'a:2-0', 'b:2-0']);
    expect(compareAuditPositions(at('a', 1), at('a', 1))).toBe(0);
  });
});

describe('where a reader starts', () => {
  it('starts at the beginning without since', () => {
    expect(parseAuditSince(undefined)).toEqual({ ok: true, since: { kind: 'start' } });
    expect(parseAuditSince('')).toEqual({ ok: true, since: { kind: 'start' } });
    expect(streamStart({ kind: 'start' }, 'checkout')).toBe('-');
  });

  it.each([
    ['2026-01-31T12:00:00Z', Date.parse('2026-01-31T12:00:00Z')],
    ['2026-01-31T12:00:00.250+01:00', Date.parse('2026-01-31T11:00:00.250Z')],
    ['2026-01-31', Date.parse('2026-01-31T00:00:00Z')],
  ])('reads the ISO time %s and starts every stream at it, inclusive', (text, ms) => {
    const parsed = parseAuditSince(text);

    expect(parsed).toEqual({ ok: true, since: { kind: 'time', ms } });
    if (parsed.ok) expect(streamStart(parsed.since, 'checkout')).toBe(`${ms}-0`);
  });

  it('resumes after an entry: later services may share its stream id, earlier ones and its own may not', () => {
    const parsed = parseAuditSince('m-svc:1767225600000-2');
    if (!parsed.ok) throw new Error(parsed.message);

    expect(streamStart(parsed.since, 'a-svc')).toBe('(1767225600000-2');
    expect(streamStart(parsed.since, 'm-svc')).toBe('(1767225600000-2');
    expect(streamStart(parsed.since, 'z-svc')).toBe('1767225600000-2');
  });

  it.each(['yesterday', '2026-13-45', '2026-01-31 12:00', '12345', 'checkout:'])(
    'refuses since=%s, saying what it accepts',
    (text) => {
      const parsed = parseAuditSince(text);

      expect(parsed.ok).toBe(false);
      if (!parsed.ok)
        expect(parsed.message).toBe(
          `since must be an ISO time like 2026-01-31T12:00:00Z or the id of an audit entry like checkout:1767225600000-0, not "${text}"`,
        );
    },
  );
});
