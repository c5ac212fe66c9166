import type { KnownBlock } from '@slack/types';
import { section } from './slack-message.js';
import { escapeMrkdwn } from './text.js';

// The engine answers in plain words that may quote what a person typed (a hold's reason, a service name): they
// are escaped here, once, before Slack sees them, and shown in a verbatim section so nothing in them links.

/** A reply shown in the channel: `checkout production is on hold: <the reason, escaped>`. */
export function renderCommandReply(message: string): { text: string; blocks: KnownBlock[] } {
  const text = escapeMrkdwn(message);
  return { text, blocks: [section(text)] };
}

/** A private refusal: `:no_entry: <why>`, escaped. */
export function renderRefusal(reason: string): string {
  return `:no_entry: ${escapeMrkdwn(reason)}`;
}
