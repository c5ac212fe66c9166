// The workspace the fake pretends to be: its team, channels (with who is in them), users and user groups.
// Only configured channels exist, plus the DM of each known user (the bot is in every DM, with that person).
import type { FakeChannel, FakeSlackOptions, FakeUser } from './types.js';

export type Directory = ReturnType<typeof createDirectory>;

/** A channel as the fake keeps it: `members` undefined means "every user of the workspace" minus `left`. */
type ChannelState = { channel: FakeChannel; members?: Set<string>; left: Set<string> };

const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const DM_ID = /^D[A-Z0-9]{2,}$/;

export function createDirectory(options: FakeSlackOptions) {
  const teamId = options.teamId ?? 'T0TEST';
  const teamDomain = options.teamDomain ?? 'promotion-test';
  const channels = new Map((options.channels ?? []).map((c) => [c.id, toState(c)]));
  const users = options.users ? new Map(options.users.map((u) => [u.id, u])) : undefined;
  const usergroups = new Map(
    Object.entries(options.usergroups ?? {}).map(([id, members]) => [id, [...members]]),
  );

  function user(id: string): FakeUser | undefined {
    if (users) return users.get(id);
    return USER_ID.test(id) ? { id, name: id.toLowerCase() } : undefined;
  }

  function state(idOrName: string): ChannelState | undefined {
    const name = idOrName.replace(/^#/, '');
    return channels.get(idOrName) ?? [...channels.values()].find((c) => c.channel.name === name);
  }

  function known(id: string): ChannelState {
    const found = state(id);
    if (!found) throw new Error(`fake Slack has no channel ${id} (configure it in channels)`);
    return found;
  }

  /** The DM with a known user, by the user's id or the DM's id. */
  function dm(id: string): FakeChannel | undefined {
    const userId = DM_ID.test(id) ? `U${id.slice(1)}` : id;
    if (!USER_ID.test(userId) || !user(userId)) return undefined;
    return { id: dmChannelOf(userId), name: userId.toLowerCase(), isPrivate: true, members: [userId] };
  }

  return {
    teamId,
    teamDomain,
    teamUrl: `https://${teamDomain}.slack.com/`,
    /** A channel id, a DM's id or its user's id, or a configured channel's name (`#deploys` or `deploys`). */
    resolveChannel(idOrName: string): FakeChannel | undefined {
      return dm(idOrName) ?? state(idOrName)?.channel;
    },
    /** Whether `userId` is in the channel (a DM: only its person). */
    isInChannel(channelId: string, userId: string): boolean {
      const direct = dm(channelId);
      if (direct) return direct.members?.includes(userId) === true;
      const found = state(channelId);
      if (!found || !user(userId)) return false;
      return found.members ? found.members.has(userId) : !found.left.has(userId);
    },
    addChannel(channel: FakeChannel): void {
      channels.set(channel.id, toState(channel));
    },
    /** Changes a configured channel (bot membership, archiving); throws for a channel that does not exist. */
    setChannel(id: string, change: Partial<Pick<FakeChannel, 'isMember' | 'isArchived'>>): FakeChannel {
      const found = known(id);
      found.channel = { ...found.channel, ...change };
      return found.channel;
    },
    addMember(channelId: string, userId: string): FakeChannel {
      const found = known(channelId);
      found.members?.add(userId);
      found.left.delete(userId);
      return found.channel;
    },
    removeMember(channelId: string, userId: string): void {
      const found = known(channelId);
      found.members?.delete(userId);
      found.left.add(userId);
    },
    user,
    addUser(user: FakeUser): void {
      if (!users) throw new Error('addUser needs the fake to start with a users list');
      users.set(user.id, user);
    },
    usergroupMembers(id: string): string[] | undefined {
      return usergroups.get(id);
    },
    setUsergroup(id: string, members: readonly string[]): void {
      usergroups.set(id, [...members]);
    },
  };
}

function toState(channel: FakeChannel): ChannelState {
  return {
    channel,
    ...(channel.members === undefined ? {} : { members: new Set(channel.members) }),
    left: new Set(),
  };
}

export function dmChannelOf(userId: string): string {
  return `D${userId.slice(1)}`;
}

/** Slack's `channel_type` for a conversation: `C` public, `G` private, `D` a DM. */
export function channelTypeOf(channel: FakeChannel): 'C' | 'G' | 'D' {
  if (channel.id.startsWith('D')) return 'D';
  return channel.isPrivate === true ? 'G' : 'C';
}
