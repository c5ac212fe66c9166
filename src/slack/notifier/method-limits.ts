// How often delivery may call each Web API method, workspace-wide, per Slack's rate-limit tiers
// (docs.slack.dev/apis/web-api/rate-limits: Tier 2 20+/min, Tier 3 50+/min, Tier 4 100+/min; each method page
// names its tier). chat.postMessage is "special": about one message per second per channel, with short bursts,
// and a workspace-wide ceiling of several hundred a minute.

export type MethodLimit = {
  /** Calls Slack accepts per minute for the whole workspace. */
  readonly perMinute: number;
};

export const METHOD_LIMITS: Readonly<Record<string, MethodLimit>> = {
  'chat.postMessage': { perMinute: 300 },
  'chat.update': { perMinute: 50 }, // Tier 3
  'conversations.history': { perMinute: 50 }, // Tier 3 (see README: 1/min for commercial non-Marketplace apps)
  'conversations.replies': { perMinute: 50 }, // Tier 3
  'conversations.info': { perMinute: 50 }, // Tier 3
  'files.getUploadURLExternal': { perMinute: 100 }, // Tier 4, as files.completeUploadExternal
};

const UNLISTED: MethodLimit = { perMinute: 20 };

export function limitOf(method: string): MethodLimit {
  return METHOD_LIMITS[method] ?? UNLISTED;
}

/**
 * How many calls of a method's minute routine traffic may use. The rest is kept for what people are waiting
 * on (a gate, a failure, a rollback), so a flood of stage updates never leaves a gate's edit without a slot.
 * The whole budget is also kept a little under Slack's figure: Slack counts on arrival, and clocks differ.
 */
export function budgetOf(method: string, urgent: boolean): number {
  const { perMinute } = limitOf(method);
  const usable = Math.max(1, Math.floor(perMinute * 0.9));
  if (urgent) return usable;
  return Math.max(1, usable - Math.max(2, Math.ceil(perMinute * 0.2)));
}
