import type { Change, ComparedBy, Revision } from '../../domain/change.js';
import { LINK_URL_MAX, link, shortCommit } from './format.js';
import { escapeMrkdwn, truncate } from './text.js';

/** The gate's change line: `<compare|1.4.1 → 1.4.2 (9fceb02…0a1b2c3)>`, or why there is nothing to compare. */
export function describeChange(change: Change): string {
  switch (change.kind) {
    case 'first_release':
      return 'first release: nothing runs in production yet to compare with';
    case 'unchanged': {
      const { version, commit } = change.running;
      const running = escapeMrkdwn(truncate(version, 60));
      return change.by === 'commit'
        ? `none: production already runs this commit, ${shortCommit(commit ?? '')} (as ${running})`
        : `none: production already runs ${running}`;
    }
    case 'changed': {
      const label = changeLabel(change.from, change.to, change.by);
      // A URL too long to link (absurd versions) would show in place of the label: the label says more.
      return change.url && change.url.length <= LINK_URL_MAX ? link(change.url, label) : escapeMrkdwn(label);
    }
  }
}

/** Plain text, for a link's label: `1.4.1 → 1.4.2 (9fceb02…0a1b2c3)`. */
function changeLabel(from: Revision, to: Revision, by: ComparedBy): string {
  const versions = `${truncate(from.version, 60)} → ${truncate(to.version, 60)}`;
  if (by === 'version') return versions;
  return `${versions} (${(from.commit ?? '').slice(0, 7)}…${(to.commit ?? '').slice(0, 7)})`;
}
