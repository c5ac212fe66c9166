import { type Decider, isNamedIn } from './approval-policy.js';

// Membership of user groups comes from Slack, which can fail to say (a missing scope, a free plan, a deleted
// group, the network). A failed lookup must not pass for "not a member" in silence: someone named directly still
// counts, and anyone else is told what is wrong.

export type GroupLookupFailure = {
  readonly group: string;
  /**
   * Slack's error code (`missing_scope`, `plan_upgrade_required`, `no_such_subteam`, `ratelimited`, …), `network`
   * for a request that never got Slack's answer, or `timeout` when Slack took too long to answer.
   */
  readonly error: string;
};

/** The groups a user was found in, and the groups whose members could not be read. */
export type GroupLookup = {
  readonly groups: readonly string[];
  readonly failures: readonly GroupLookupFailure[];
};

const HINTS: Readonly<Record<string, string>> = {
  missing_scope: 'the app needs the usergroups:read scope; reinstall it with the manifest',
  not_allowed_token_type: 'the app needs a bot token with the usergroups:read scope',
  plan_upgrade_required: 'user groups need a paid Slack plan; name people by user id in the pipeline file',
  no_such_subteam: 'there is no such user group; check the ids in the pipeline file',
  subteam_not_found: 'there is no such user group; check the ids in the pipeline file',
  ratelimited: 'too many lookups at once; try again in a minute',
};

/**
 * Why it cannot be told whether `decider` is among `ids`, or undefined: they are named directly, were found
 * through a group, or no lookup of a group in `ids` failed.
 */
export function refuseUnresolved(
  ids: readonly string[],
  decider: Decider,
  failures: readonly GroupLookupFailure[],
): string | undefined {
  if (isNamedIn(ids, decider)) return undefined;
  const failure = failures.find((f) => ids.includes(f.group));
  return failure ? describeLookupFailure(failure) : undefined;
}

/** `I could not check membership of user group S0…: Slack said missing_scope (the app needs …)`. */
export function describeLookupFailure(failure: GroupLookupFailure): string {
  const what = `I could not check membership of user group ${failure.group}`;
  if (failure.error === 'network') return `${what}: Slack could not be reached; try again in a moment`;
  if (failure.error === 'timeout') return `${what}: Slack did not answer in time; try again in a moment`;
  const hint = HINTS[failure.error];
  return `${what}: Slack said ${failure.error}${hint ? ` (${hint})` : ''}`;
}
