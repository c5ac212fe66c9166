import { escapeMrkdwn, inlineCode, truncate } from './text.js';

// Small formatters for the values every message shows. Each returns mrkdwn that is safe to splice.

const USER_ID = /^[UW][A-Z0-9]{2,20}$/;
const GROUP_ID = /^S[A-Z0-9]{2,20}$/;

/** `<@U…>` for a user, `<!subteam^S…>` for a user group, `CI` for the API, anything else as escaped text. */
export function mention(id: string): string {
  if (USER_ID.test(id)) return `<@${id}>`;
  if (GROUP_ID.test(id)) return `<!subteam^${id}>`;
  if (id === 'api') return 'CI';
  return escapeMrkdwn(truncate(id, 80));
}

/** `sha256:` and the first 12 hex digits, in inline code. */
export function shortDigest(digest: string): string {
  const match = /^sha256:([0-9a-f]{12})/i.exec(digest);
  return inlineCode(match ? `sha256:${match[1]?.toLowerCase()}` : truncate(digest, 19));
}

export function shortCommit(commit: string): string {
  return inlineCode(/^[0-9a-f]{7,}$/i.test(commit) ? commit.slice(0, 7) : truncate(commit, 12));
}

/** `0.4s`, `4.2s`, `1m 3s`, `2h 5m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
  return `${Math.floor(minutes / 1440)}d ${Math.floor((minutes % 1440) / 60)}h`;
}

/**
 * A time as Slack shows it in each reader's own time zone and clock: `today at 09:00`, `Mar 1, 2024 at 09:00`. It
 * reads as a whole phrase ("held by @alice today at 09:00"), so callers put no "at" before it. Clients that
 * cannot format dates show the fallback, in UTC.
 */
export function formatTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return escapeMrkdwn(truncate(iso, 40));
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} at {time}|${plainTime(iso)}>`;
}

/** `2024-03-01 at 09:00 UTC`: the same phrase for plain text, where Slack formats no dates. */
export function plainTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return truncate(iso, 40);
  const [day, time] = new Date(ms).toISOString().slice(0, 16).split('T');
  return `${day} at ${time} UTC`;
}

/** A measured value or threshold: at most 4 significant digits, no exponent noise for ordinary values. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return String(Number.parseFloat(value.toPrecision(4)));
}

/** `checkout 1.4.2` as mrkdwn (escaped) — the name people use for a promotion. */
export function releaseName(service: string, version: string): string {
  return escapeMrkdwn(`${service} ${truncate(version, 60)}`);
}

/** The longest URL `link` makes a link of. */
export const LINK_URL_MAX = 2000;

/** `<https://…|label>` for an http(s) URL; anything else is shown as inert text, never as a link. */
export function link(url: string, label: string): string {
  if (!/^https?:\/\/[^\s<>|]+$/i.test(url) || url.length > LINK_URL_MAX)
    return inlineCode(truncate(url, 200));
  return `<${url.replaceAll('&', '&amp;')}|${escapeMrkdwn(label)}>`;
}
