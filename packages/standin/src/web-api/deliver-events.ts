// Events API requests from the fake to the bot's Request URL, signed like Slack's: the `event_callback` envelope
// (slack_common_event_wrapper_schema.json) around `member_joined_channel` when the bot or a person joins a channel.
import { eventEnvelope } from '../requests/events.js';
import { JSON_TYPE, sendSigned } from '../requests/sign.js';
import { channelTypeOf } from './directory.js';
import type { Runtime } from './runtime.js';
import type { DeliveredEvent, FakeChannel, Payload } from './types.js';

/** docs.slack.dev/reference/events/member_joined_channel: `channel_type` is `C` (public) or `G` (private). */
export function memberJoinedChannel(
  channel: FakeChannel,
  user: string,
  teamId: string,
  inviter?: string,
): Payload {
  return {
    type: 'member_joined_channel',
    user,
    channel: channel.id,
    channel_type: channelTypeOf(channel),
    team: teamId,
    ...(inviter === undefined ? {} : { inviter }),
  };
}

/** Sends `event` to the events target, if there is one, and records the delivery. */
export async function deliverEvent(runtime: Runtime, event: Payload): Promise<DeliveredEvent | undefined> {
  const target = runtime.eventsTarget.current;
  if (!target) return undefined;
  const envelope = eventEnvelope(event, { teamId: runtime.directory.teamId });
  const at = Date.now();
  const delivered = await sendSigned(
    target.url,
    target.signingSecret,
    JSON.stringify(envelope),
    JSON_TYPE,
  ).then(
    (response): DeliveredEvent => ({
      envelope,
      event: envelope.event,
      at,
      status: response.status,
      ok: response.status >= 200 && response.status < 300,
    }),
    (error: unknown): DeliveredEvent => ({
      envelope,
      event: envelope.event,
      at,
      status: 0,
      ok: false,
      error: String(error),
    }),
  );
  runtime.events.push(delivered);
  return delivered;
}
