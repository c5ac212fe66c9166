// A slash command typed in the message box: a signed command request to the app. What the app answers through the
// response_url appears in the channel or only for the person who typed it, as the app asks.

import type { SlashCommand } from '../page-requests.js';
import { sendSlashCommand } from '../requests/index.js';
import type { StandinContext } from '../standin-context.js';
import { answerOf, describeError, type Outcome, refused, requestUrlOf, userNameOf } from './outcome.js';

export async function runSlashCommand(context: StandinContext, input: SlashCommand): Promise<Outcome> {
  const match = /^(\/\S+)\s*([\s\S]*)$/.exec(input.text);
  if (!match?.[1]) return refused('a slash command starts with /, like /promotions');
  const [, command, text = ''] = match;
  if (!context.options.commands.includes(command)) {
    return refused(`${command} is not a valid command. This app has ${context.options.commands.join(', ')}.`);
  }
  const url = requestUrlOf(context);
  if (typeof url !== 'string') return url;
  const { web } = context;
  const channel = context.options.channels.find((c) => c.id === input.channel);
  const responseUrl = web.responseUrl(undefined, { channel: input.channel, userId: input.user });
  try {
    const reply = await sendSlashCommand(url, context.options.signingSecret, {
      command,
      text: text.trim(),
      userId: input.user,
      userName: userNameOf(context, input.user),
      channelId: input.channel,
      channelName: channel?.name ?? input.channel.toLowerCase(),
      responseUrl,
      triggerId: web.triggerId(input.user),
    });
    const outcome = answerOf(reply);
    // An app may answer in the acknowledgement itself; Slack shows that like a response_url reply.
    if (outcome.ok && reply.body.trim() !== '') await respondWith(responseUrl, reply.body);
    return outcome;
  } catch (error) {
    return refused(describeError(error));
  }
}

async function respondWith(responseUrl: string, body: string): Promise<void> {
  const json = body.trim().startsWith('{') ? body : JSON.stringify({ text: body });
  await fetch(responseUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json });
}
