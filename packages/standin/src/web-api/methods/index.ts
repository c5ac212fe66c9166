// The registry of Web API methods the fake answers; anything else is `unknown_method`.
import * as chat from './chat.js';
import type { MethodHandler } from './context.js';
import * as conversations from './conversations.js';
import { authTest, usergroupsUsersList, usersInfo } from './directory-methods.js';
import * as files from './files.js';
import * as views from './views.js';

export type { MethodContext, MethodHandler } from './context.js';

export const METHODS: ReadonlyMap<string, MethodHandler> = new Map([
  ['auth.test', authTest],
  ['chat.postMessage', chat.postMessage],
  ['chat.postEphemeral', chat.postEphemeral],
  ['chat.update', chat.update],
  ['chat.delete', chat.deleteMessage],
  ['chat.getPermalink', chat.getPermalink],
  ['views.open', views.open],
  ['views.push', views.open],
  ['views.update', views.update],
  ['views.publish', views.publish],
  ['usergroups.users.list', usergroupsUsersList],
  ['users.info', usersInfo],
  ['conversations.info', conversations.info],
  ['conversations.open', conversations.open],
  ['conversations.history', conversations.history],
  ['conversations.replies', conversations.replies],
  ['files.getUploadURLExternal', files.getUploadURLExternal],
  ['files.completeUploadExternal', files.completeUploadExternal],
]);
