import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAuditSince } from '../../../src/domain/audit-position.js';
import { type AuditRecord, createAuditLog } from '../../../src/store/audit-log.js';
import { createKeys } from '../../../src/store/keys.js';
import { connectTestRedis, uniquePrefix } from '../../support/redis.js';

// Attacks on the merged export: many services whose entries share stream ids exactly (what a Cluster's nodes, or
// one busy millisecond, produce), names that are prefixes of each other, a stream trimmed empty and one that was
// never written, pages smaller than a millisecond's entries, and resumption after every single entry.

let redis: Redis;
let keys: ReturnType<typeof createKeys>;

beforeEach(() => {
  redis = connectTestRedis();
  keys = createKeys(uniquePrefix('audit-attack'));
});

afterEach(async () => {
  await redis.quit();
});

const SERVICES = ['a', 'a-b', 'a.b', 'ab', 'b', ...Array.from({ length: 35 }, (_, n) => `svc${n}`)];
/** The same few ids in every stream: two in one millisecond, then one in the next, then a later one. */
const IDS = ['1000-0', '1000-1', '1001-0', '5000-7'];

async function all(read: AsyncGenerator<AuditRecord[]>): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  for await (const page of read) records.push(...page);
  return records;
}

async function write(): Promise<void> {
  for (const service of SERVICES)
    for (const id of IDS)
      await redis.xadd(
        keys.auditLog(service),
        id,
        'promotion',
        `${service}-p`,
        'entry',
        JSON.stringify({ id }),
      );
  // A service whose whole trail was trimmed away: the stream is there, empty.
  await redis.xadd(keys.auditLog('trimmed'), '900-0', 'promotion', 'x', 'entry', '{}');
  await redis.xtrim(keys.auditLog('trimmed'), 'MAXLEN', 0);
}

const names = [...SERVICES, 'trimmed', 'never-written'].sort();

describe('the audit export, attacked', () => {
  it('orders equal ids across services by service and resumes after every entry with nothing lost or twice', async () => {
    await write();
    const log = createAuditLog(redis, keys, { pageSize: 3 });

    const records = await all(log.read(names, { kind: 'start' }));

    const expected = IDS.flatMap((id) => [...SERVICES].sort().map((service) => `${service}:${id}`));
    expect(records.map((record) => record.id)).toEqual(expected);
    for (const [cut, record] of records.entries()) {
      const since = parseAuditSince(record.id);
      if (!since.ok) throw new Error(since.message);
      const rest = await all(log.read(names, since.since));
      expect(rest.map((one) => one.id)).toEqual(expected.slice(cut + 1));
    }
  });

  it('starts at a time inclusively, in the middle of equal ids', async () => {
    await write();
    const log = createAuditLog(redis, keys, { pageSize: 7 });

    const since = parseAuditSince(new Date(1001).toISOString());
    if (!since.ok) throw new Error(since.message);
    const records = await all(log.read(names, since.since));

    expect(records.map((record) => record.id)).toEqual(
      ['1001-0', '5000-7'].flatMap((id) => [...SERVICES].sort().map((service) => `${service}:${id}`)),
    );
  });
});
