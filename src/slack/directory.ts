import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { GroupLookupFailure } from '../domain/group-lookup.js';
import type { Directory } from '../engine/ports.js';

/** Where members last read are kept: Redis in the bot (shared by its processes), a Map by default. */
export type GroupMembersStore = {
  get(group: string): Promise<{ readonly users: readonly string[]; readonly at: number } | undefined>;
  set(group: string, members: { readonly users: readonly string[]; readonly at: number }): Promise<void>;
};

type DirectoryLog = {
  error(data: Readonly<Record<string, unknown>>, message: string): void;
  info(data: Readonly<Record<string, unknown>>, message: string): void;
};

export type SlackDirectoryOptions = {
  /** Gets one error line when a group's members cannot be read, and one info line when they can again. */
  readonly log?: DirectoryLog;
  readonly store?: GroupMembersStore;
  /** Read at start and every `refreshEveryMs` in the background: the groups named in the pipeline. */
  readonly groups?: readonly string[];
  readonly refreshEveryMs?: number;
  /** How long a decision waits for a group never read before (after that: `timeout`, and it is kept reading). */
  readonly lookupTimeoutMs?: number;
  readonly now?: () => number;
};

export type SlackDirectory = Directory & { start(): void; stop(): void };

const REFRESH_EVERY_MS = 5 * 60_000;
const LOOKUP_TIMEOUT_MS = 10_000;

type Read = { readonly users: readonly string[] } | GroupLookupFailure;

/** A Web API error as @slack/web-api throws it: Slack's own `{ ok: false, error }`, or a transport failure. */
const PlatformError = z.object({ data: z.object({ error: z.string().min(1).max(100) }) });
const RateLimited = z.object({ code: z.literal('slack_webapi_rate_limited_error') });

/**
 * User-group membership for decisions, from members read in the background (`usergroups.users.list` is Tier 2,
 * about 20 a minute, and too slow to sit on a click). A group never read yet is read on demand; a failed read keeps
 * the members last read, and one that has none is reported with Slack's code, never thrown.
 */
export function createSlackDirectory(
  client: Pick<WebClient, 'usergroups'>,
  options: SlackDirectoryOptions = {},
): SlackDirectory {
  const now = options.now ?? Date.now;
  const store = options.store ?? createMemoryStore();
  const refreshEveryMs = options.refreshEveryMs ?? REFRESH_EVERY_MS;
  const reading = new Map<string, Promise<Read>>();
  const failing = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function readOnce(group: string): Promise<Read> {
    let users: readonly string[];
    try {
      users = (await client.usergroups.users.list({ usergroup: group })).users ?? [];
    } catch (error) {
      const code = errorCodeOf(error);
      if (!failing.has(group)) options.log?.error({ group, error: code }, 'user group lookup failed');
      failing.add(group);
      return { group, error: code };
    }
    if (failing.delete(group)) options.log?.info({ group }, 'user group lookup works again');
    if (stopped) return { users };
    // The members were read: a store that cannot keep them (Redis away) does not make this answer a failure.
    await store
      .set(group, { users, at: now() })
      .catch((error: unknown) => options.log?.error({ group, err: error }, 'user group members not stored'));
    return { users };
  }

  /** One read per group at a time, however many clicks and refreshes ask. */
  function read(group: string): Promise<Read> {
    const running = reading.get(group);
    if (running) return running;
    const started = Promise.resolve()
      .then(() => readOnce(group))
      .finally(() => reading.delete(group));
    reading.set(group, started);
    return started;
  }

  async function membersOf(group: string): Promise<readonly string[] | GroupLookupFailure> {
    const stored = await store.get(group);
    if (stored) return stored.users;
    const result = await within(read(group), options.lookupTimeoutMs ?? LOOKUP_TIMEOUT_MS, {
      group,
      error: 'timeout',
    });
    return 'error' in result ? result : result.users;
  }

  /** Skips a group another process read less than half a period ago. */
  async function refresh(): Promise<void> {
    for (const group of options.groups ?? []) {
      if (stopped) return;
      const stored = await store.get(group);
      if (stored && now() - stored.at < refreshEveryMs / 2) continue;
      await read(group);
    }
  }

  function refreshInBackground(): void {
    refresh().catch((error: unknown) => options.log?.error({ err: error }, 'user group refresh failed'));
  }

  return {
    async groupsOf(user, groups) {
      const found: string[] = [];
      const failures: GroupLookupFailure[] = [];
      for (const [group, members] of await Promise.all(
        groups.map(async (group) => [group, await membersOf(group)] as const),
      )) {
        if ('error' in members) failures.push(members);
        else if (members.includes(user)) found.push(group);
      }
      return { groups: found, failures };
    },
    start() {
      if (timer || stopped) return;
      refreshInBackground();
      timer = setInterval(refreshInBackground, refreshEveryMs);
      timer.unref();
    },
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}

/** `promise`'s value, or `fallback` once `ms` have passed (the promise goes on, and fills the store). */
async function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

function createMemoryStore(): GroupMembersStore {
  const members = new Map<string, { readonly users: readonly string[]; readonly at: number }>();
  return {
    get: async (group) => members.get(group),
    set: async (group, entry) => {
      members.set(group, entry);
    },
  };
}

/** Slack's error code (`missing_scope`, …), `ratelimited`, else `network` for a request that never got an answer. */
function errorCodeOf(error: unknown): string {
  const platform = PlatformError.safeParse(error);
  if (platform.success) return platform.data.data.error;
  return RateLimited.safeParse(error).success ? 'ratelimited' : 'network';
}
