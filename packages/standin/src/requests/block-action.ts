// A `block_actions` interaction (a button click on a message), and any interaction sent as `payload=<json>`.
import type { Payload } from '../web-api/types.js';
import {
  API_APP_ID,
  newTriggerId,
  nowTs,
  randomBlockId,
  TEAM_DOMAIN,
  TEAM_ID,
  VERIFICATION_TOKEN,
} from './ids.js';
import { FORM, type SignOptions, type SlackHttpResponse, sendSigned } from './sign.js';

export type BlockActionInput = {
  readonly actionId: string;
  readonly value: string;
  readonly userId: string;
  readonly userName?: string;
  readonly channelId: string;
  readonly messageTs: string;
  readonly responseUrl: string;
  readonly triggerId?: string;
  readonly teamId?: string;
  /** The clicked message as Slack has it (e.g. `fake.message(channel, ts)`): its blocks ride along. */
  readonly message?:
    | { readonly text?: string; readonly blocks?: readonly Payload[]; readonly thread_ts?: string }
    | undefined;
  /** Defaults to the block_id of the block in `message` holding `actionId`, else a random one like Slack's. */
  readonly blockId?: string;
};

/** A `block_actions` payload for a button click on a message. */
export function blockActionPayload(input: BlockActionInput): Payload {
  const teamId = input.teamId ?? TEAM_ID;
  const blocks = input.message?.blocks ?? [];
  const block = blocks.find((b) => holdsAction(b, input.actionId));
  const button = [...(block?.elements ?? []), block?.accessory].find((e) => e?.action_id === input.actionId);
  return {
    type: 'block_actions',
    user: {
      id: input.userId,
      username: input.userName ?? input.userId.toLowerCase(),
      name: input.userName ?? input.userId.toLowerCase(),
      team_id: teamId,
    },
    api_app_id: API_APP_ID,
    token: VERIFICATION_TOKEN,
    container: {
      type: 'message',
      message_ts: input.messageTs,
      channel_id: input.channelId,
      is_ephemeral: false,
      ...(input.message?.thread_ts === undefined ? {} : { thread_ts: input.message.thread_ts }),
    },
    trigger_id: input.triggerId ?? newTriggerId(),
    team: { id: teamId, domain: TEAM_DOMAIN },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channelId, name: input.channelId.toLowerCase() },
    message: {
      type: 'message',
      subtype: 'bot_message',
      user: 'UBOT',
      bot_id: 'BBOT',
      app_id: API_APP_ID,
      team: teamId,
      text: input.message?.text ?? '',
      ts: input.messageTs,
      blocks,
      ...(input.message?.thread_ts === undefined ? {} : { thread_ts: input.message.thread_ts }),
    },
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [
      {
        action_id: input.actionId,
        block_id: input.blockId ?? (typeof block?.block_id === 'string' ? block.block_id : randomBlockId()),
        text: button?.text ?? { type: 'plain_text', text: input.actionId, emoji: true },
        value: input.value,
        ...(typeof button?.style === 'string' ? { style: button.style } : {}),
        type: 'button',
        action_ts: nowTs(),
      },
    ],
  };
}

function holdsAction(block: Payload, actionId: string): boolean {
  const elements: unknown[] = [...(Array.isArray(block.elements) ? block.elements : []), block.accessory];
  return elements.some(
    (e) => typeof e === 'object' && e !== null && 'action_id' in e && e.action_id === actionId,
  );
}

export function sendBlockAction(
  eventsUrl: string,
  secret: string,
  input: BlockActionInput,
  options?: SignOptions,
): Promise<SlackHttpResponse> {
  return sendInteraction(eventsUrl, secret, blockActionPayload(input), options);
}

/** Any interactivity payload, sent as Slack sends it: `payload=<url-encoded JSON>`. */
export function sendInteraction(
  eventsUrl: string,
  secret: string,
  payload: Payload,
  options?: SignOptions,
): Promise<SlackHttpResponse> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return sendSigned(eventsUrl, secret, body, FORM, options);
}
