import { parseAuditId } from '../domain/audit-position.js';

export type ResumePoint =
  /** `keep`: the bytes of the file to keep (a line cut short by a killed export is dropped). */
  | { readonly ok: true; readonly keep: number; readonly after?: string }
  | { readonly ok: false; readonly message: string };

const NEWLINE = 0x0a;

/**
 * Where an export into an existing file goes on: after the id of its last complete line. `tail` is the end of
 * the file, `offset` where that tail starts in it.
 */
export function resumePoint(tail: Buffer, offset: number): ResumePoint {
  const end = tail.lastIndexOf(NEWLINE);
  if (end === -1) {
    if (offset === 0) return { ok: true, keep: 0 };
    return { ok: false, message: 'its last line is longer than an audit entry can be' };
  }
  const start = end === 0 ? 0 : tail.lastIndexOf(NEWLINE, end - 1) + 1;
  if (start === 0 && offset > 0)
    return { ok: false, message: 'its last line is longer than an audit entry can be' };
  const line = tail.subarray(start, end).toString('utf8');
  const id = idOf(line);
  if (id === undefined)
    return { ok: false, message: `its last line is not an audit entry with an id: ${line.slice(0, 120)}` };
  return { ok: true, keep: offset + end + 1, after: id };
}

function idOf(line: string): string | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value !== 'object' || value === null || !('id' in value)) return undefined;
    const { id } = value;
    return typeof id === 'string' && parseAuditId(id) ? id : undefined;
  } catch {
    return undefined;
  }
}
