import type { Pipeline } from '../../domain/pipeline.js';
import type { Logger } from '../../logger.js';
import type { Lanes } from './lanes.js';
import type { SlackClient } from './slack-delivery.js';
import { classifySlackFailure, unreachableAdvice } from './slack-failure.js';
import { type UnreachableChannels, WORKSPACE } from './unreachable-channels.js';

/** Every channel the pipeline posts in: each service's channel and alert channel. */
export function configuredChannels(pipeline: Pipeline): string[] {
  const channels = new Set<string>();
  for (const service of pipeline.services.values()) {
    channels.add(service.channel);
    channels.add(service.alertChannel);
  }
  return [...channels];
}

/**
 * At start, asks Slack about every configured channel and says which the bot is not in, so the operator learns
 * it before the first gate waits there. What it finds is recorded like a failed post: messages wait, not lost.
 */
export async function checkChannels(deps: {
  readonly client: Pick<SlackClient, 'conversations'>;
  readonly pipeline: Pipeline;
  readonly unreachable: UnreachableChannels;
  readonly lanes: Lanes;
  readonly log: Logger;
}): Promise<{ readonly notIn: readonly string[] }> {
  const notIn: string[] = [];
  const channels = configuredChannels(deps.pipeline);
  // A channel the pipeline no longer names is no one's problem any more.
  for (const { channel } of await deps.unreachable.list()) {
    if (channel !== WORKSPACE && !channels.includes(channel)) await deps.unreachable.clear(channel);
  }
  for (const channel of channels) {
    let problem: string | undefined;
    try {
      const reply = await deps.client.conversations.info({ channel });
      if (reply.channel?.is_archived) problem = 'is_archived';
      else if (reply.channel?.is_member === false) problem = 'not_in_channel';
    } catch (error) {
      const failure = classifySlackFailure(error);
      if (failure.kind === 'channel-unreachable') problem = failure.code;
      else {
        deps.log.warn(
          { channel, code: failure.code },
          failure.code === 'missing_scope'
            ? 'cannot check the channels at start: the app lacks channels:read / groups:read (reinstall it from manifest.yml)'
            : 'cannot check a channel at start; its first post will tell',
        );
        if (failure.code === 'missing_scope') break;
        continue;
      }
    }
    if (problem) {
      notIn.push(channel);
      await deps.unreachable.mark(channel, problem);
      deps.log.error(
        { channel, code: problem, advice: unreachableAdvice(channel, problem) },
        `promotion-bot cannot post in ${channel} (${problem}); its messages wait until /invite @promotion-bot`,
      );
    } else if (await deps.unreachable.clear(channel)) {
      deps.log.info({ channel }, 'promotion-bot can post in the channel again');
      await deps.lanes.wakeAll();
    }
  }
  return { notIn };
}
