import type { KnownBlock } from '@slack/types';
import { mention } from './format.js';
import { section } from './slack-message.js';
import { escapeMrkdwn } from './text.js';

// The engine answers in plain words that may quote what a person typed (a hold's reason, a service name): they
// are escaped here, once, before Slack sees them, and shown in a verbatim section so nothing in them links.

/** A reply shown in the channel, naming who did it: `<@U…> put checkout production on hold: <the reason>`. */
export function renderCommandReply(by: string, message: string): { text: string; blocks: KnownBlock[] } {
  const text = `${mention(by)} ${escapeMrkdwn(message)}`;
  return { text, blocks: [section(text)] };
}

/** A private refusal: `:no_entry: <why>`, escaped. */
export function renderRefusal(reason: string): string {
  return `:no_entry: ${escapeMrkdwn(reason)}`;
}
