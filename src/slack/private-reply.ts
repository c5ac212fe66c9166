import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { describeErrorForLog } from '../log-error.js';
import type { Logger } from '../logger.js';
import { postJson } from './post-json.js';

/** Who should read it, and the ways to reach them that the interaction gave. */
export type PrivateTarget = {
  readonly user: string;
  /** The channel the person acted in: `chat.postEphemeral` there reaches them only if they are a member. */
  readonly channel?: string;
  /** The interaction's response URL: reaches them whatever their membership (30 minutes, 5 uses). */
  readonly responseUrl?: string;
};

export type PrivateReply = (target: PrivateTarget, text: string) => Promise<void>;

type PrivateReplyClient = { readonly chat: Pick<WebClient['chat'], 'postEphemeral' | 'postMessage'> };

const RESPONSE_URL_TIMEOUT_MS = 5_000;

/**
 * Tells one person something only they see: on the response URL when there is one, else `chat.postEphemeral` in
 * the channel, else (not a member, `user_not_in_channel`; or the others failed) a DM from the app. A reply that
 * needed another way is logged once, with what each way answered.
 */
export function createPrivateReply(
  client: PrivateReplyClient,
  log: Pick<Logger, 'warn' | 'error'>,
): PrivateReply {
  return async (target, text) => {
    const { user, channel, responseUrl } = target;
    const refused: Record<string, string> = {};
    if (responseUrl !== undefined) {
      const answer = await postToResponseUrl(responseUrl, text);
      if (answer === 'ok') return;
      refused.response_url = answer;
    }
    if (channel !== undefined) {
      try {
        await client.chat.postEphemeral({ channel, user, text });
        if (Object.keys(refused).length > 0)
          log.warn({ user, channel, refused }, 'private reply sent as ephemeral');
        return;
      } catch (error) {
        refused.postEphemeral = codeOf(error);
      }
    }
    try {
      // A user id as the channel: the app's own DM with them (chat:write; conversations.open would need im:write).
      await client.chat.postMessage({ channel: user, text });
      log.warn({ user, channel, refused }, 'private reply sent as a direct message');
    } catch (error) {
      log.error(
        { user, channel, refused: { ...refused, postMessage: codeOf(error) } },
        'private reply not delivered',
      );
    }
  };
}

/** `ok`, or what went wrong (`status 404`, `used_url`, `network`); never the URL itself, which is a secret. */
async function postToResponseUrl(url: string, text: string): Promise<string> {
  try {
    const answer = await postJson(
      url,
      { response_type: 'ephemeral', replace_original: false, text },
      RESPONSE_URL_TIMEOUT_MS,
    );
    const refusal = Refusal.safeParse(parseJson(answer.text));
    if (refusal.success) return refusal.data.error;
    return answer.status >= 200 && answer.status < 300 ? 'ok' : `status ${answer.status}`;
  } catch {
    return 'network';
  }
}

/** Slack answers a response URL with `ok`, or `{ ok: false, error }` (`used_url`, `expired_url`, …). */
const Refusal = z.object({ ok: z.literal(false), error: z.string().max(100) });

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function codeOf(error: unknown): string {
  const { slackError, code } = describeErrorForLog(error);
  return slackError ?? code ?? 'unknown';
}
