import type { AuditEntry } from '../domain/audit.js';
import {
  type AuditPosition,
  type AuditSince,
  compareAuditPositions,
  formatAuditId,
  positionOf,
  streamStart,
} from '../domain/audit-position.js';
import type { Keys } from './keys.js';
import { createMinHeap } from './min-heap.js';
import type { RedisClient } from './redis-client.js';
import { decodeAudit } from './schema.js';

/**
 * One entry of the audit trail of every service, with the id a reader resumes after. The entry stays the JSON it
 * was written as (by the scripts that wrote the promotion's trail): an export passes it on without decoding it.
 */
export type AuditRecord = {
  readonly id: string;
  readonly service: string;
  readonly promotionId: string;
  readonly entryJson: string;
};

export function auditEntryOf(record: AuditRecord): AuditEntry {
  return decodeAudit(record.entryJson);
}

export type AuditLogOptions = {
  /**
   * Entries younger than this are left for the next read. Ids are each stream's own Redis time: on one server an
   * entry written after a read began sorts after everything it returned, on a Cluster only if the nodes' clocks
   * agree within this margin.
   */
  readonly settleMs?: number;
  readonly pageSize?: number;
};

type StreamReader = {
  readonly service: string;
  readonly key: string;
  page: [id: string, fields: string[]][];
  at: number;
  /** The position of `page[at]`, read once. */
  head: AuditPosition | undefined;
  next: string;
  done: boolean;
};

export type AuditLog = ReturnType<typeof createAuditLog>;

/** Entries held across all the streams' pages at once, at most (beyond MIN_READER_PAGE each). */
const HELD = 20_000;
const MIN_READER_PAGE = 32;

/** Reads the services' audit streams merged, oldest first, a page of each at a time: memory stays constant. */
export function createAuditLog(redis: RedisClient, keys: Keys, options: AuditLogOptions = {}) {
  const pageSize = options.pageSize ?? 1000;
  const settleMs = options.settleMs ?? 0;

  const exhausted = (reader: StreamReader) => reader.at >= reader.page.length && !reader.done;

  async function fill(reader: StreamReader, end: string, count: number): Promise<void> {
    reader.page = await redis.xrange(reader.key, reader.next, end, 'COUNT', count);
    reader.at = 0;
    reader.head = headOf(reader);
    reader.done = reader.page.length < count;
    const last = reader.page.at(-1);
    if (last) reader.next = `(${last[0]}`;
  }

  function headOf(reader: StreamReader): AuditPosition | undefined {
    const head = reader.page[reader.at];
    return head && positionOf(reader.service, head[0]);
  }

  function toRecord(position: AuditPosition, fields: readonly string[]): AuditRecord {
    const field = (name: string) => fields[fields.indexOf(name) + 1] ?? '';
    return {
      id: formatAuditId(position),
      service: position.service,
      promotionId: field('promotion'),
      entryJson: field('entry'),
    };
  }

  return {
    /** Every service that has written to the audit trail here, in the pipeline now or not (the registry). */
    async services(): Promise<string[]> {
      return redis.smembers(keys.services);
    },

    /** Pages of entries of `services` from `since`, up to the moment the read began (less `settleMs`). */
    async *read(services: readonly string[], since: AuditSince): AsyncGenerator<AuditRecord[]> {
      const [seconds, micros] = await redis.time();
      const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
      // Up to the millisecond before this one: an entry written from now on sorts after all that is returned.
      const end = String(now - settleMs - 1);
      // What is held in memory stays about the same however many services: smaller pages when there are many.
      const readerPage = Math.min(pageSize, Math.max(MIN_READER_PAGE, Math.floor(HELD / services.length)));
      const readers: StreamReader[] = services.map((service) => ({
        service,
        key: keys.auditLog(service),
        page: [],
        at: 0,
        head: undefined,
        next: streamStart(since, service),
        done: false,
      }));
      // The reader whose next entry is the oldest on top: O(log services) per entry.
      const heap = createMinHeap<StreamReader>((a, b) =>
        a.head && b.head ? compareAuditPositions(a.head, b.head) : 0,
      );
      await Promise.all(readers.map((reader) => fill(reader, end, readerPage)));
      for (const reader of readers) if (reader.head) heap.push(reader);
      let out: AuditRecord[] = [];
      for (let first = heap.pop(); first; first = heap.pop()) {
        const position = first.head;
        const entry = first.page[first.at];
        if (!position || !entry) continue;
        first.at += 1;
        // A reader whose page ran out reads its next before it goes back: it may hold the oldest entry.
        if (exhausted(first)) await fill(first, end, readerPage);
        else first.head = headOf(first);
        if (first.head) heap.push(first);
        out.push(toRecord(position, entry[1]));
        if (out.length >= pageSize) {
          yield out;
          out = [];
        }
      }
      if (out.length > 0) yield out;
    },
  };
}
