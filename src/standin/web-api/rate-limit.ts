// Slack's per-channel posting limit: at most N chat.postMessage calls per channel in any sliding second.
export type RateLimiter = ReturnType<typeof createRateLimiter>;

const WINDOW_MS = 1000;

export function createRateLimiter(postsPerSecond: number) {
  const accepted = new Map<string, number[]>();

  return {
    /** Seconds to wait before the next post to `channel` is accepted; 0 when it may go now. */
    retryAfter(channel: string, now = Date.now()): number {
      const recent = (accepted.get(channel) ?? []).filter((at) => at > now - WINDOW_MS);
      const oldest = recent[recent.length - postsPerSecond];
      if (recent.length < postsPerSecond || oldest === undefined) return 0;
      return Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000));
    },
    record(channel: string, at = Date.now()): void {
      accepted.set(channel, [...(accepted.get(channel) ?? []), at]);
    },
    /** The most accepted posts to `channel` seen within any one-second window. */
    maxPerSecond(channel: string): number {
      const times = accepted.get(channel) ?? [];
      let max = 0;
      let start = 0;
      for (let end = 0; end < times.length; end += 1) {
        while ((times[end] ?? 0) - (times[start] ?? 0) >= WINDOW_MS) start += 1;
        max = Math.max(max, end - start + 1);
      }
      return max;
    },
    clear(): void {
      accepted.clear();
    },
  };
}
