import { z } from 'zod';
import type { Keys } from './keys.js';
import type { RedisClient } from './redis-client.js';

// The members of each Slack user group as last read from Slack, shared by every process: a new process answers
// from what another one read, and a process refreshes a group only when no one has for a while.

/** A day: members last read that long ago are too stale to decide who may release, so they are forgotten. */
const KEEP_MS = 24 * 60 * 60 * 1000;

const StoredMembers = z.object({
  users: z.array(z.string().min(1).max(64)).max(10_000),
  at: z.number().int().nonnegative(),
});

export type StoredMembers = z.infer<typeof StoredMembers>;

export function createGroupMembersStore(redis: RedisClient, keys: Pick<Keys, 'userGroupMembers'>) {
  return {
    async get(group: string): Promise<StoredMembers | undefined> {
      const raw = await redis.get(keys.userGroupMembers(group));
      if (raw === null) return undefined;
      const parsed = StoredMembers.safeParse(parseJson(raw));
      return parsed.success ? parsed.data : undefined;
    },
    async set(group: string, members: StoredMembers): Promise<void> {
      await redis.set(keys.userGroupMembers(group), JSON.stringify(members), 'PX', KEEP_MS);
    },
  };
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
