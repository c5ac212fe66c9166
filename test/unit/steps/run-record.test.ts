import { describe, expect, it } from 'vitest';
import { decodeRunRecord, encodeRunRecord } from '../../../src/steps/run/earlier-run.js';

describe('the record of a running step', () => {
  it('round-trips what a worker writes', () => {
    const record = { host: 'worker-1', pgid: 4242, worker: 17 };
    expect(decodeRunRecord(encodeRunRecord(record))).toEqual(record);
    expect(decodeRunRecord(encodeRunRecord({ host: 'h', pgid: 7 }))).toEqual({ host: 'h', pgid: 7 });
  });

  it('is ignored when missing, not JSON, or not a record (no process group is signalled on a guess)', () => {
    for (const raw of [
      null,
      undefined,
      '',
      'not json',
      '{"host":"h"}',
      '{"host":"h","pgid":-1}',
      '{"host":1,"pgid":2}',
      '[]',
    ])
      expect(decodeRunRecord(raw)).toBeUndefined();
  });

  it('refuses to write a record that could not be read back', () => {
    expect(() => encodeRunRecord({ host: 'h', pgid: 0 })).toThrow();
  });
});
