// What a failed Web API call means for delivery. Slack's errors fall into a few kinds, and each kind is handled
// once, in one place: wait and try again, wait for a person to fix something, post the message again, or give up
// on that one message. None of them is retried in a loop.

export type SlackFailure =
  /** 429: Slack said when to come back. */
  | { readonly kind: 'rate-limited'; readonly code: 'ratelimited'; readonly retryAfterMs: number }
  /** Slack or the network had a bad moment: try again later, with backoff. */
  | { readonly kind: 'transient'; readonly code: string }
  /** The bot cannot post in this channel until a person invites it (or unarchives, or recreates it). */
  | { readonly kind: 'channel-unreachable'; readonly code: string }
  /** The message to edit (or the thread to reply in) is gone: post it again. */
  | { readonly kind: 'message-gone'; readonly code: string }
  /** The app may not call this one method (a scope it lacks): that method waits, the others go on. */
  | { readonly kind: 'not-allowed'; readonly code: string }
  /** The token or the app's installation is wrong for every call: nothing goes out until it is fixed. */
  | { readonly kind: 'workspace-blocked'; readonly code: string }
  /** Slack refused this one message for good (its blocks, its size, its arguments): drop it, say so. */
  | { readonly kind: 'refused'; readonly code: string };

// Error names from Slack's method pages (chat.postMessage, chat.update, conversations.history) and the
// @slack/web-api ErrorCode enum.
const TRANSIENT = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'timeout',
  'team_added_to_org',
  'ratelimited',
]);
const CHANNEL_UNREACHABLE = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
]);
const MESSAGE_GONE = new Set([
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'thread_not_found',
]);
const NOT_ALLOWED = new Set(['missing_scope', 'no_permission']);
const WORKSPACE_BLOCKED = new Set([
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'not_allowed_token_type',
  'ekm_access_denied',
  'team_access_not_granted',
  'access_denied',
  'org_login_required',
  'app_missing_action_url',
]);

/** `method`, when given, is the call that failed: a file upload's own HTTP step answers differently. */
export function classifySlackFailure(error: unknown, method = ''): SlackFailure {
  const record = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const code = typeof record.code === 'string' ? record.code : '';
  if (code === 'slack_webapi_rate_limited_error') {
    const seconds = typeof record.retryAfter === 'number' && record.retryAfter > 0 ? record.retryAfter : 1;
    return { kind: 'rate-limited', code: 'ratelimited', retryAfterMs: seconds * 1000 };
  }
  if (code === 'slack_webapi_request_error') return { kind: 'transient', code: 'network' };
  if (code === 'slack_webapi_http_error') {
    const status = typeof record.statusCode === 'number' ? record.statusCode : 0;
    const client = status >= 400 && status < 500 && status !== 408;
    // filesUploadV2 posts the bytes to an upload URL itself: a 4xx there (too large, expired) is about that file.
    if (client && method.startsWith('files.')) return { kind: 'refused', code: `http_${status}` };
    // A 4xx other than 429 from the Web API means the address or the proxy is wrong, for every call alike.
    if (client) return { kind: 'workspace-blocked', code: `http_${status}` };
    return { kind: 'transient', code: `http_${status}` };
  }
  const data =
    typeof record.data === 'object' && record.data !== null ? (record.data as Record<string, unknown>) : {};
  const slackError = typeof data.error === 'string' ? data.error : undefined;
  if (slackError === undefined) return { kind: 'transient', code: code || 'unknown' };
  return classifySlackError(slackError);
}

/** The kind of an `ok: false` answer's `error`. */
export function classifySlackError(code: string): SlackFailure {
  if (TRANSIENT.has(code)) return { kind: 'transient', code };
  if (CHANNEL_UNREACHABLE.has(code)) return { kind: 'channel-unreachable', code };
  if (MESSAGE_GONE.has(code)) return { kind: 'message-gone', code };
  if (NOT_ALLOWED.has(code)) return { kind: 'not-allowed', code };
  if (WORKSPACE_BLOCKED.has(code)) return { kind: 'workspace-blocked', code };
  return { kind: 'refused', code };
}

/** What a person does about a channel the bot cannot post in. */
export function unreachableAdvice(channel: string, code: string): string {
  if (code === 'is_archived')
    return `<#${channel}> is archived: unarchive it or change the pipeline's channel`;
  if (code === 'channel_not_found')
    return `channel ${channel} does not exist or is private without the bot: /invite @promotion-bot in it, or fix the pipeline's channel`;
  if (code.startsWith('restricted_action'))
    return `<#${channel}> does not let the bot post (${code}): change the channel's posting permissions`;
  return `the bot is not in <#${channel}>: type /invite @promotion-bot there`;
}

/** Exponential backoff for transient failures: 1 s, 2 s, 4 s … up to `maxMs`, with the nth failure. */
export function backoffMs(failures: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(failures - 1, 20)));
}
