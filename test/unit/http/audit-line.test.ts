import { describe, expect, it } from 'vitest';
import { toAuditLine } from '../../../src/http/audit-route.js';

describe('an audit NDJSON line', () => {
  it('puts the id, service and promotion first, then the entry as it was written', () => {
    const entryJson = JSON.stringify({
      at: '2026-01-01T00:00:00.000Z',
      type: 'published',
      status: 'running',
    });

    const line = toAuditLine({ id: 'checkout:1-0', service: 'checkout', promotionId: 'p-1', entryJson });

    expect(line.endsWith('\n')).toBe(true);
    expect(Object.entries(JSON.parse(line))).toEqual([
      ['id', 'checkout:1-0'],
      ['service', 'checkout'],
      ['promotionId', 'p-1'],
      ['at', '2026-01-01T00:00:00.000Z'],
      ['type', 'published'],
      ['status', 'running'],
    ]);
  });

  it('stays one valid line for an empty entry', () => {
    const line = toAuditLine({
      id: 'checkout:1-0',
      service: 'checkout',
      promotionId: 'p-1',
      entryJson: '{}',
    });

    expect(JSON.parse(line)).toEqual({ id: 'checkout:1-0', service: 'checkout', promotionId: 'p-1' });
  });
});
