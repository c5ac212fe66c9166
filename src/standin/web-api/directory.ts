// The workspace the fake pretends to be: its team, channels, users and user groups.
import type { FakeChannel, FakeSlackOptions, FakeUser } from './types.js';

export type Directory = ReturnType<typeof createDirectory>;

const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;
const USER_ID = /^[UW][A-Z0-9]{2,}$/;

export function createDirectory(options: FakeSlackOptions) {
  const teamId = options.teamId ?? 'T0TEST';
  const teamDomain = options.teamDomain ?? 'promotion-test';
  const channels = options.channels ? new Map(options.channels.map((c) => [c.id, c])) : undefined;
  const users = options.users ? new Map(options.users.map((u) => [u.id, u])) : undefined;
  const usergroups = new Map(
    Object.entries(options.usergroups ?? {}).map(([id, members]) => [id, [...members]]),
  );

  return {
    teamId,
    teamDomain,
    teamUrl: `https://${teamDomain}.slack.com/`,
    /** A channel id, a DM's user id (opens the DM), or a known channel's name (`#deploys` or `deploys`). */
    resolveChannel(idOrName: string): FakeChannel | undefined {
      if (USER_ID.test(idOrName)) return { id: dmChannelOf(idOrName), name: idOrName.toLowerCase() };
      if (!channels)
        return CHANNEL_ID.test(idOrName) ? { id: idOrName, name: idOrName.toLowerCase() } : undefined;
      const name = idOrName.replace(/^#/, '');
      return channels.get(idOrName) ?? [...channels.values()].find((c) => c.name === name);
    },
    addChannel(channel: FakeChannel): void {
      if (!channels) throw new Error('addChannel needs the fake to start with a channels list');
      channels.set(channel.id, channel);
    },
    user(id: string): FakeUser | undefined {
      if (users) return users.get(id);
      return USER_ID.test(id) ? { id, name: id.toLowerCase() } : undefined;
    },
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

export function dmChannelOf(userId: string): string {
  return `D${userId.slice(1)}`;
}
