// auth.test, users.info and usergroups.users.list: who the bot is and who the people are.
import { BOT_ID, BOT_USER_ID } from '../message-store.js';
import { failure, type MethodHandler, stringArg } from './context.js';

export const authTest: MethodHandler = (_args, context) => ({
  ok: true,
  url: context.directory.teamUrl,
  team: 'Promotion Test',
  user: 'promotion-bot',
  team_id: context.directory.teamId,
  user_id: BOT_USER_ID,
  bot_id: BOT_ID,
  is_enterprise_install: false,
});

export const usersInfo: MethodHandler = (args, context) => {
  const id = stringArg(args, 'user');
  const user = id ? context.directory.user(id) : undefined;
  if (!user) return failure('user_not_found');
  const realName = user.realName ?? user.name;
  return {
    ok: true,
    user: {
      id: user.id,
      team_id: context.directory.teamId,
      name: user.name,
      real_name: realName,
      deleted: false,
      is_bot: false,
      is_admin: false,
      tz: 'Europe/London',
      profile: { real_name: realName, display_name: user.name, team: context.directory.teamId },
    },
  };
};

export const usergroupsUsersList: MethodHandler = (args, context) => {
  const id = stringArg(args, 'usergroup');
  const members = id ? context.directory.usergroupMembers(id) : undefined;
  if (!members) return failure('no_such_subteam');
  return { ok: true, users: members };
};
