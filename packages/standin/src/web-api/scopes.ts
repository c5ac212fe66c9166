// Which OAuth scope each Web API method needs from a bot token, and Slack's `missing_scope` answer.
//
// Source: slack-api-specs' web-api/slack_web_openapi_v2.json (`security[0].slackAuth` of each operation; its
// old `chat:write:bot` is today's `chat:write`), and docs.slack.dev/reference/methods for what the file does not
// list (files.getUploadURLExternal / files.completeUploadExternal: `files:write`; conversations.open for a DM:
// `im:write`). Methods that need a scope by conversation type take the one for the channel asked about.
import { channelTypeOf, type Directory } from './directory.js';
import type { Payload } from './types.js';

type ByConversation = { readonly C: string; readonly G: string; readonly D: string };

const FIXED: ReadonlyMap<string, string> = new Map([
  ['chat.postMessage', 'chat:write'],
  ['chat.postEphemeral', 'chat:write'],
  ['chat.update', 'chat:write'],
  ['chat.delete', 'chat:write'],
  ['usergroups.users.list', 'usergroups:read'],
  ['users.info', 'users:read'],
  ['conversations.open', 'im:write'],
  ['files.getUploadURLExternal', 'files:write'],
  ['files.completeUploadExternal', 'files:write'],
]);

const READ: ByConversation = { C: 'channels:read', G: 'groups:read', D: 'im:read' };
const HISTORY: ByConversation = { C: 'channels:history', G: 'groups:history', D: 'im:history' };

const BY_CONVERSATION: ReadonlyMap<string, ByConversation> = new Map([
  ['conversations.info', READ],
  ['conversations.history', HISTORY],
  ['conversations.replies', HISTORY],
]);

// auth.test, chat.getPermalink and views.* need no scope.

/** Slack's answer when the token lacks the method's scope, or undefined when it may go on. */
export function missingScope(
  method: string,
  args: Payload,
  granted: ReadonlySet<string>,
  directory: Directory,
): Payload | undefined {
  const needed = neededScope(method, args, directory);
  if (needed === undefined || needed.some((scope) => granted.has(scope))) return undefined;
  return { ok: false, error: 'missing_scope', needed: needed.join(','), provided: [...granted].join(',') };
}

/** Any one of these will do (the conversation's own scope, or every one of them when the channel is unknown). */
function neededScope(method: string, args: Payload, directory: Directory): string[] | undefined {
  const fixed = FIXED.get(method);
  if (fixed) return [fixed];
  const family = BY_CONVERSATION.get(method);
  if (!family) return undefined;
  const channel = typeof args.channel === 'string' ? directory.resolveChannel(args.channel) : undefined;
  return channel ? [family[channelTypeOf(channel)]] : [family.C, family.G, family.D];
}
