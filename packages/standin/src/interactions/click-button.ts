// A click on a button in a message: a signed `block_actions` request to the app, with a response_url for the
// clicked message and a trigger id that opens modals for the person who clicked.

import type { ButtonClick } from '../page-requests.js';
import { blockActionPayload, sendInteraction } from '../requests/index.js';
import type { StandinContext } from '../standin-context.js';
import { answerOf, describeError, type Outcome, refused, requestUrlOf, userNameOf } from './outcome.js';

export async function clickButton(context: StandinContext, click: ButtonClick): Promise<Outcome> {
  const url = requestUrlOf(context);
  if (typeof url !== 'string') return url;
  const { web } = context;
  const message = click.ephemeral
    ? web.ephemerals(click.channel).find((m) => m.ts === click.ts && m.user === click.user)
    : web.message(click.channel, click.ts);
  if (!message) return refused('that message is gone');
  const responseUrl = web.responseUrl(undefined, {
    channel: click.channel,
    userId: click.user,
    ...(click.ephemeral ? {} : { messageTs: click.ts }),
  });
  const payload = blockActionPayload({
    actionId: click.actionId,
    value: buttonValue(message.blocks, click.actionId) ?? '',
    userId: click.user,
    userName: userNameOf(context, click.user),
    channelId: click.channel,
    messageTs: click.ts,
    responseUrl,
    triggerId: web.triggerId(click.user),
    message: {
      text: message.text,
      blocks: message.blocks,
      ...(message.thread_ts === undefined ? {} : { thread_ts: message.thread_ts }),
    },
    ...(click.blockId === undefined ? {} : { blockId: click.blockId }),
  });
  payload.container.is_ephemeral = click.ephemeral;
  try {
    return answerOf(await sendInteraction(url, context.options.signingSecret, payload));
  } catch (error) {
    return refused(describeError(error));
  }
}

/** The clicked button's value, read from the stored message (the page only says which button). */
function buttonValue(blocks: readonly Record<string, unknown>[], actionId: string): string | undefined {
  for (const block of blocks) {
    const elements = [...(Array.isArray(block.elements) ? block.elements : []), block.accessory];
    for (const element of elements) {
      if (typeof element !== 'object' || element === null) continue;
      if (!('action_id' in element) || element.action_id !== actionId) continue;
      return 'value' in element && typeof element.value === 'string' ? element.value : undefined;
    }
  }
  return undefined;
}
