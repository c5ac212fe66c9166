// What a Web API method handler receives, and the small helpers they share.
import type { Directory } from '../directory.js';
import type { FileStore } from '../file-store.js';
import type { MessageStore } from '../message-store.js';
import type { BlockError, FakeChannel, Payload } from '../types.js';
import type { PayloadCheck } from '../validation.js';
import type { ViewStore } from '../view-store.js';

export type MethodContext = {
  readonly method: string;
  /** The fake's own base URL (`http://127.0.0.1:PORT`), for upload URLs. */
  readonly baseUrl: string;
  readonly directory: Directory;
  readonly messages: MessageStore;
  readonly views: ViewStore;
  readonly files: FileStore;
  readonly recordBlockError: (error: BlockError) => void;
};

/** A method: arguments in, Slack's JSON body out (always HTTP 200; `ok: false` bodies carry the error). */
export type MethodHandler = (args: Payload, context: MethodContext) => Payload;

export function failure(error: string, messages?: readonly string[]): Payload {
  if (!messages || messages.length === 0) return { ok: false, error };
  return { ok: false, error, response_metadata: { messages: messages.map((m) => `[ERROR] ${m}`) } };
}

/** Slack's answer to a payload that fails validation; also recorded so a test can assert there were none. */
export function rejected(context: MethodContext, check: Exclude<PayloadCheck, { ok: true }>): Payload {
  context.recordBlockError({
    method: context.method,
    error: check.error,
    errors: check.errors,
    at: Date.now(),
  });
  return { ...failure(check.error, check.errors), errors: check.errors };
}

export type ChannelLookup = { readonly channel: FakeChannel } | { readonly error: Payload };

/**
 * The channel as the bot sees it: a private channel it is not in does not exist for it (`channel_not_found`,
 * as Slack answers), a public one does (conversations.info works there, with `is_member: false`).
 */
export function visibleChannel(value: unknown, context: MethodContext): ChannelLookup {
  const channel =
    typeof value === 'string' && value !== '' ? context.directory.resolveChannel(value) : undefined;
  if (!channel || (channel.isPrivate === true && channel.isMember === false)) {
    return { error: failure('channel_not_found') };
  }
  return { channel };
}

/** The channel a message goes to (or is edited or deleted in), or Slack's error for why it cannot. */
export function postableChannel(value: unknown, context: MethodContext): ChannelLookup {
  const lookup = visibleChannel(value, context);
  if ('error' in lookup) return lookup;
  if (lookup.channel.isArchived) return { error: failure('is_archived') };
  if (lookup.channel.isMember === false) return { error: failure('not_in_channel') };
  return lookup;
}

/** A channel whose history the bot reads (conversations.history / replies): it must be in it. */
export function readableChannel(value: unknown, context: MethodContext): ChannelLookup {
  const lookup = visibleChannel(value, context);
  if ('error' in lookup) return lookup;
  if (lookup.channel.isMember === false) return { error: failure('not_in_channel') };
  return lookup;
}

export function stringArg(args: Payload, name: string): string | undefined {
  const value = args[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function arrayArg(args: Payload, name: string): Payload[] | undefined {
  const value = args[name];
  return Array.isArray(value) ? value : undefined;
}
