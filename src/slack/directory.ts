import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { GroupLookupFailure } from '../domain/group-lookup.js';
import type { Directory } from '../engine/ports.js';

const TTL_MS = 60_000;

/** A Web API error as @slack/web-api throws it: Slack's own `{ ok: false, error }`, or a transport failure. */
const PlatformError = z.object({ data: z.object({ error: z.string().min(1).max(100) }) });

export type SlackDirectoryOptions = {
  /** Gets an error line, with Slack's code, for each group whose members could not be read. */
  readonly log?: { error(data: Readonly<Record<string, unknown>>, message: string): void };
  readonly now?: () => number;
};

/**
 * Resolves user-group membership with `usergroups.users.list`, cached for a minute per group. A group whose
 * members could not be read is reported with Slack's error code (and logged), never cached and never thrown.
 */
export function createSlackDirectory(
  client: Pick<WebClient, 'usergroups'>,
  options: SlackDirectoryOptions = {},
): Directory {
  const now = options.now ?? Date.now;
  const cache = new Map<string, { users: readonly string[]; at: number }>();

  async function membersOf(user: string, group: string): Promise<readonly string[] | GroupLookupFailure> {
    const cached = cache.get(group);
    if (cached && now() - cached.at < TTL_MS) return cached.users;
    try {
      const reply = await client.usergroups.users.list({ usergroup: group });
      const users = reply.users ?? [];
      cache.set(group, { users, at: now() });
      return users;
    } catch (error) {
      const code = errorCodeOf(error);
      options.log?.error({ user, group, error: code }, 'user group lookup failed');
      return { group, error: code };
    }
  }

  return {
    async groupsOf(user, groups) {
      const found: string[] = [];
      const failures: GroupLookupFailure[] = [];
      for (const [group, members] of await Promise.all(
        groups.map(async (group) => [group, await membersOf(user, group)] as const),
      )) {
        if ('error' in members) failures.push(members);
        else if (members.includes(user)) found.push(group);
      }
      return { groups: found, failures };
    },
  };
}

/** Slack's error code (`missing_scope`, …), else `network` for a request that never got Slack's answer. */
function errorCodeOf(error: unknown): string {
  const platform = PlatformError.safeParse(error);
  return platform.success ? platform.data.data.error : 'network';
}
