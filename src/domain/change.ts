// The change an approver is asked to let into production: from what runs there to the candidate. Compared by
// commit where both sides know theirs (a rebuild of one commit under a new version changes no code), else by
// version; linked through the service's `compareUrl` when it has one.

/** One side of the comparison: a version and, where CI gave it, its commit. */
export type Revision = { readonly version: string; readonly commit?: string };

export type ComparedBy = 'commit' | 'version';

export type Change =
  /** Nothing runs in production yet: there is nothing to compare with. */
  | { readonly kind: 'first_release' }
  /** Production already runs this commit (or, without commits, this version). */
  | { readonly kind: 'unchanged'; readonly by: ComparedBy; readonly running: Revision }
  | {
      readonly kind: 'changed';
      readonly by: ComparedBy;
      readonly from: Revision;
      readonly to: Revision;
      /** The compare page, when the service has a `compareUrl`. */
      readonly url?: string;
    };

/** The names `compareUrl` may contain, as `{from}` and `{to}`; nothing else in it is replaced. */
export const COMPARE_PLACEHOLDERS = ['from', 'to'] as const;

/** The change from `running` (undefined: nothing yet) to `candidate`, linked by `compareUrl` if given. */
export function changeOf(
  running: Revision | undefined,
  candidate: Revision,
  compareUrl: string | undefined,
): Change {
  if (!running) return { kind: 'first_release' };
  const by: ComparedBy = running.commit && candidate.commit ? 'commit' : 'version';
  const [from, to] =
    by === 'commit' ? [running.commit ?? '', candidate.commit ?? ''] : [running.version, candidate.version];
  if (by === 'commit' ? sameCommit(from, to) : from === to)
    return { kind: 'unchanged', by, running: revisionOf(running) };
  return {
    kind: 'changed',
    by,
    from: revisionOf(running),
    to: revisionOf(candidate),
    ...(compareUrl ? { url: compareLink(compareUrl, from, to) } : {}),
  };
}

/**
 * `compareUrl` with `{from}` and `{to}` replaced by the URL-encoded values, in one pass: a value that itself reads
 * `{to}` stays data, and a version cannot add a path, a query or a second URL.
 */
export function compareLink(template: string, from: string, to: string): string {
  const values: Readonly<Record<(typeof COMPARE_PLACEHOLDERS)[number], string>> = { from, to };
  return template.replace(/\{(from|to)\}/g, (_placeholder, name: 'from' | 'to') =>
    encodeURIComponent(values[name]),
  );
}

/** CI may give a commit abbreviated: `abc1234` and `abc1234def…` are the same commit. */
function sameCommit(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

/** Only the fields a revision has: a deployment record or an artifact carries more. */
function revisionOf({ version, commit }: Revision): Revision {
  return commit ? { version, commit } : { version };
}
