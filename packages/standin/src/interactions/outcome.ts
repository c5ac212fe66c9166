// What an interaction tells the page: done, or why not (in words for a person).
import type { SlackHttpResponse } from '../requests/index.js';
import type { StandinContext } from '../standin-context.js';

export type Outcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: string; readonly errors?: Readonly<Record<string, string>> };

export const OK: Outcome = { ok: true };

export function refused(error: string): Outcome {
  return { ok: false, error };
}

/** The bot's /slack/events URL, or the refusal to show while the bot is not up yet. */
export function requestUrlOf(context: StandinContext): string | Outcome {
  return context.requestUrl() ?? refused('the bot is not connected yet: wait for it to start');
}

/** Slack shows a failed request to the app as an error; so does the page. */
export function answerOf(reply: SlackHttpResponse): Outcome {
  if (reply.status >= 200 && reply.status < 300) return OK;
  return refused(`the app answered HTTP ${reply.status}${reply.body ? `: ${reply.body.slice(0, 200)}` : ''}`);
}

export function userNameOf(context: StandinContext, userId: string): string {
  return context.options.users.find((user) => user.id === userId)?.name ?? userId.toLowerCase();
}

export function describeError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `could not reach the app (${error instanceof Error ? error.message : String(error)}${cause})`;
}
