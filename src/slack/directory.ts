import type { WebClient } from '@slack/web-api';
import type { Directory } from '../engine/ports.js';

const TTL_MS = 60_000;

/** Resolves user-group membership with `usergroups.users.list`, cached for a minute per group. */
export function createSlackDirectory(
  client: Pick<WebClient, 'usergroups'>,
  now: () => number = Date.now,
): Directory {
  const cache = new Map<string, { users: readonly string[]; at: number }>();

  async function membersOf(group: string): Promise<readonly string[]> {
    const cached = cache.get(group);
    if (cached && now() - cached.at < TTL_MS) return cached.users;
    const reply = await client.usergroups.users.list({ usergroup: group });
    const users = reply.users ?? [];
    cache.set(group, { users, at: now() });
    return users;
  }

  return {
    async groupsOf(user, groups) {
      const members = await Promise.all(
        groups.map(async (group) => ({ group, users: await membersOf(group) })),
      );
      return members.filter((entry) => entry.users.includes(user)).map((entry) => entry.group);
    },
  };
}
