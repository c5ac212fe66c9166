// `respond()` for a slash command, as Bolt's does it (the message as JSON, POSTed to the command's response URL;
// a refused one throws, so the listener fails and is logged), but on postJson's kept-alive connections instead of
// a new axios connection per reply: the reply is most of what a `/promotions` costs the bot after the ack.
import type { RespondArguments } from '@slack/bolt';
import { type PostAnswer, postJson } from './post-json.js';

export type Respond = (message: RespondArguments) => Promise<void>;

/** Bolt sets no time limit; one that never answers should not hold a listener for ever. */
const RESPOND_TIMEOUT_MS = 10_000;

export function createRespond(responseUrl: string): Respond {
  return async (message) => {
    const answer = await postJson(responseUrl, message, RESPOND_TIMEOUT_MS);
    // Never the URL in the error: it is a secret for 30 minutes.
    if (answer.status < 200 || answer.status >= 300) throw new ResponseUrlRefused(answer);
  };
}

/**
 * Logged by its code and status, as Bolt's own respond() failure is (src/log-error.ts reads both). With a `code`,
 * Bolt passes it on as it is instead of wrapping it in an unknown error that drops the status.
 */
class ResponseUrlRefused extends Error {
  readonly code = 'response_url_refused';
  readonly status: number;

  constructor(answer: PostAnswer) {
    super(`the response URL answered ${answer.status}: ${answer.text.slice(0, 200)}`);
    this.name = 'ResponseUrlRefused';
    this.status = answer.status;
  }
}
