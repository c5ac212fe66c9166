// The real @slack/web-api client pointed at a fake Slack, quiet, with few or no retries.
import { type Logger, LogLevel, WebClient, type WebClientOptions } from '@slack/web-api';
import type { FakeChannel, FakeSlack } from '../../support/fake-slack/index.js';

export const TOKEN = 'xoxb-test-token';

export function silentLogger(): Logger {
  return {
    debug: () => {},
    info: () => {},
    warn: () => {},
    error: () => {},
    setLevel: () => {},
    getLevel: () => LogLevel.ERROR,
    setName: () => {},
  };
}

export function webClient(fake: FakeSlack, options: WebClientOptions = {}, token = TOKEN): WebClient {
  return new WebClient(token, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logger: silentLogger(),
    ...options,
  });
}

/** Blocks a gate message would carry: a section and the approve/reject buttons. */
export function gateBlocks(promotionId: string) {
  return [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: '*checkout* 1.4.2 is waiting for approval to production' },
    },
    {
      type: 'actions',
      block_id: 'gate',
      elements: [
        {
          type: 'button',
          action_id: 'promotion.approve',
          text: { type: 'plain_text', text: 'Approve' },
          style: 'primary',
          value: promotionId,
        },
        {
          type: 'button',
          action_id: 'promotion.reject',
          text: { type: 'plain_text', text: 'Reject' },
          style: 'danger',
          value: promotionId,
        },
      ],
    },
  ];
}

/** The channels the stand-in's own tests post in (the bot is in each; every person too). */
export const CHANNELS: readonly FakeChannel[] = [
  { id: 'C0DEPLOYS', name: 'deploys' },
  { id: 'C0ONCALL', name: 'oncall' },
  { id: 'C0A', name: 'a' },
  { id: 'C0B', name: 'b' },
];

/** A Web API call's Slack error code, or 'ok'. */
export const errorOf = (call: Promise<unknown>): Promise<string> =>
  call.then(
    () => 'ok',
    (error) => error.data?.error,
  );
