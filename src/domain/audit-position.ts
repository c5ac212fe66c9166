// Where an entry sits in the audit trail of every service, and where a reader starts again. Each service's trail is
// a stream whose ids are Redis time and a sequence; merged, the trail is ordered by (time, sequence, service), so an
// entry's id names its service too: `checkout:1767225600000-0`.

export type AuditPosition = { readonly ms: number; readonly seq: number; readonly service: string };

/** Where to start: at the beginning, at a time (entries recorded then or later), or after an entry. */
export type AuditSince =
  | { readonly kind: 'start' }
  | { readonly kind: 'time'; readonly ms: number }
  | { readonly kind: 'after'; readonly position: AuditPosition };

const ID = /^([a-z0-9][a-z0-9._-]{0,62}):(\d{1,15})-(\d{1,15})$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

export function formatAuditId(position: AuditPosition): string {
  return `${position.service}:${position.ms}-${position.seq}`;
}

export function parseAuditId(text: string): AuditPosition | undefined {
  const match = ID.exec(text);
  if (!match) return undefined;
  const [, service = '', ms = '', seq = ''] = match;
  return { service, ms: Number(ms), seq: Number(seq) };
}

/** The position of a stream entry `ms-seq` of `service`. */
export function positionOf(service: string, streamId: string): AuditPosition {
  const dash = streamId.indexOf('-');
  return { service, ms: Number(streamId.slice(0, dash)), seq: Number(streamId.slice(dash + 1)) };
}

export function compareAuditPositions(a: AuditPosition, b: AuditPosition): number {
  if (a.ms !== b.ms) return a.ms - b.ms;
  if (a.seq !== b.seq) return a.seq - b.seq;
  return a.service < b.service ? -1 : a.service > b.service ? 1 : 0;
}

export type ParsedSince = { ok: true; since: AuditSince } | { ok: false; message: string };

/** `since` as a reader gives it: absent, an ISO time, or the id of the last entry it has. */
export function parseAuditSince(text: string | undefined): ParsedSince {
  if (text === undefined || text === '') return { ok: true, since: { kind: 'start' } };
  const position = parseAuditId(text);
  if (position) return { ok: true, since: { kind: 'after', position } };
  const ms = ISO_TIME.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isNaN(ms)) return { ok: true, since: { kind: 'time', ms: Math.max(0, ms) } };
  return {
    ok: false,
    message: `since must be an ISO time like 2026-01-31T12:00:00Z or the id of an audit entry like checkout:1767225600000-0, not "${text.slice(0, 80)}"`,
  };
}

/**
 * The first id to read from `service`'s stream (XRANGE syntax: `(` excludes it): after an entry, the entries of
 * a later service may share its stream id, those of an earlier one or the same may not.
 */
export function streamStart(since: AuditSince, service: string): string {
  switch (since.kind) {
    case 'start':
      return '-';
    case 'time':
      return `${since.ms}-0`;
    case 'after': {
      const { ms, seq } = since.position;
      return service > since.position.service ? `${ms}-${seq}` : `(${ms}-${seq}`;
    }
  }
}
