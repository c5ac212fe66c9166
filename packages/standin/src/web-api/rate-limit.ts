// Slack's rate limits: each method's tier, per workspace over a sliding minute, and chat.postMessage's own
// limit of about one post a second per channel with short bursts.
//
// Source: docs.slack.dev/apis/web-api/rate-limits ("Tier 1: 1+ per minute … Tier 2: 20+ … Tier 3: 50+ …
// Tier 4: 100+ … Special: chat.postMessage generally allows posting one message per second per channel, while
// also maintaining a workspace-wide limit"; "Posting messages: 1 per second, short bursts >1 allowed"), and the
// "Rate limits" fact of each method's page on docs.slack.dev/reference/methods (listed below). Since 2025-05-29
// conversations.history/replies are Tier 1 for commercially distributed non-Marketplace apps; an internal app
// such as this one keeps Tier 3. Slack does not publish chat.postMessage's workspace-wide number: not modelled.
export type RateLimiter = ReturnType<typeof createRateLimiter>;

export type Tier = 1 | 2 | 3 | 4;

/** Calls per "minute" of each tier (the documented floor: Slack's "+" means it may allow more). */
export const TIER_PER_MINUTE: Readonly<Record<Tier, number>> = { 1: 1, 2: 20, 3: 50, 4: 100 };

/** Each method's tier, from its docs.slack.dev/reference/methods page. chat.postMessage: special (below). */
export const METHOD_TIERS: ReadonlyMap<string, Tier> = new Map<string, Tier>([
  ['auth.test', 4], // "Special: Tier 4" (documented as special, about Tier 4)
  ['chat.postEphemeral', 4],
  ['chat.update', 3],
  ['chat.delete', 3],
  ['chat.getPermalink', 4],
  ['conversations.info', 3],
  ['conversations.history', 3],
  ['conversations.replies', 3],
  ['conversations.open', 3],
  ['usergroups.users.list', 2],
  ['users.info', 4],
  ['views.open', 4],
  ['views.push', 4],
  ['views.update', 4],
  ['views.publish', 4],
  ['files.getUploadURLExternal', 4],
  ['files.completeUploadExternal', 4],
]);

export type RateLimiterOptions = {
  readonly postsPerSecond: number;
  readonly postBurst: number;
  readonly tiers: boolean;
  readonly windowMs: number;
};

const SECOND_MS = 1000;

export function createRateLimiter(options: RateLimiterOptions) {
  const byMethod = new Map<string, number[]>();
  /** chat.postMessage per channel: a token bucket of `postsPerSecond + postBurst` refilled at the average rate. */
  const buckets = new Map<string, { tokens: number; at: number }>();
  const accepted = new Map<string, number[]>();
  const capacity = options.postsPerSecond + options.postBurst;

  function bucket(channel: string, now: number): { tokens: number; at: number } {
    const current = buckets.get(channel) ?? { tokens: capacity, at: now };
    const refilled = Math.min(
      capacity,
      current.tokens + ((now - current.at) / SECOND_MS) * options.postsPerSecond,
    );
    const next = { tokens: refilled, at: now };
    buckets.set(channel, next);
    return next;
  }

  return {
    /** Seconds until `method` may be called again workspace-wide; 0 when it may go now (and it is counted). */
    takeMethod(method: string, now = Date.now()): number {
      const tier = options.tiers ? METHOD_TIERS.get(method) : undefined;
      if (tier === undefined) return 0;
      const limit = TIER_PER_MINUTE[tier];
      const recent = (byMethod.get(method) ?? []).filter((at) => at > now - options.windowMs);
      const oldest = recent[recent.length - limit];
      if (recent.length >= limit && oldest !== undefined) {
        byMethod.set(method, recent);
        return Math.max(1, Math.ceil((oldest + options.windowMs - now) / SECOND_MS));
      }
      byMethod.set(method, [...recent, now]);
      return 0;
    },
    /** Seconds to wait before the next post to `channel` is accepted; 0 when it may go now. */
    retryAfter(channel: string, now = Date.now()): number {
      const { tokens } = bucket(channel, now);
      if (tokens >= 1) return 0;
      return Math.max(1, Math.ceil((1 - tokens) / options.postsPerSecond));
    },
    record(channel: string, at = Date.now()): void {
      bucket(channel, at).tokens -= 1;
      accepted.set(channel, [...(accepted.get(channel) ?? []), at]);
    },
    /** The most accepted posts to `channel` seen within any one-second window. */
    maxPerSecond(channel: string): number {
      const times = accepted.get(channel) ?? [];
      let max = 0;
      let start = 0;
      for (let end = 0; end < times.length; end += 1) {
        while ((times[end] ?? 0) - (times[start] ?? 0) >= SECOND_MS) start += 1;
        max = Math.max(max, end - start + 1);
      }
      return max;
    },
    clear(): void {
      byMethod.clear();
      buckets.clear();
      accepted.clear();
    },
  };
}
