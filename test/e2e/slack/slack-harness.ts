import { afterEach, expect } from 'vitest';
import type { BotOptions } from '../../../src/main.js';
import { type FakePrometheus, startFakePrometheus } from '../../support/fake-prometheus.js';
import {
  buttonsOf,
  type FakeSlack,
  type FakeSlackOptions,
  type FakeUser,
  manifestBotScopes,
  type RecordedResponse,
  type StoredMessage,
  startFakeSlack,
  textOf,
} from '../../support/fake-slack/index.js';
import { publishArtifact } from '../../support/promotion-api.js';
import {
  appHomeOpenedEvent,
  type SignOptions,
  type SlackHttpResponse,
  sendBlockAction,
  sendEvent,
  sendSlashCommand,
  sendViewSubmission,
} from '../../support/slack-requests.js';
import { startTestBot, type TestBot } from '../../support/test-bot.js';
import { waitFor } from '../../support/wait-for.js';
import {
  createWorkspace,
  type PipelineOptions,
  testPipeline,
  type Workspace,
} from '../../support/workspace.js';

// A real bot wired to a fake Slack: CI publishes over HTTP, people act through signed requests to /slack/events,
// and everything the bot says is read back from the fake.

export const SECRET = 'e2e-signing-secret-0123456789abcdef';
export const DEPLOYS = 'C0DEPLOYS';
export const ONCALL = 'C0ONCALL';

/** The people the e2e tests act as (Mallory is in the workspace, just not an approver). */
export const PEOPLE: readonly FakeUser[] = [
  'U0ALICE',
  'U0BOB',
  'U0CAROL',
  'U0DAVE',
  'U0ERIN',
  'U0EVE',
  'U0MALLORY',
].map((id) => ({ id, name: id.slice(2).toLowerCase() }));
const MEMBERS = PEOPLE.map((person) => person.id);

export type HarnessOptions = {
  readonly pipeline?: Partial<PipelineOptions>;
  /** The pipeline file's text instead of `testPipeline(pipeline)`. */
  readonly pipelineYaml?: string;
  readonly fake?: FakeSlackOptions;
  /** SLACK_POSTS_PER_SECOND, and the fake's per-channel limit unless `fake` sets its own. */
  readonly postsPerSecond?: number;
  readonly coalesceMs?: number;
  /** Delivery's retry and pacing intervals, for tests about Slack's errors. */
  readonly delivery?: BotOptions['slackDelivery'];
};

export type Reply = { readonly http: SlackHttpResponse; readonly responseId: string };

export type SlackHarness = Awaited<ReturnType<typeof startSlackHarness>>;

let responseCounter = 0;

export async function startSlackHarness(options: HarnessOptions = {}) {
  const postsPerSecond = options.postsPerSecond ?? 20;
  const prometheus: FakePrometheus = await startFakePrometheus();
  const workspace: Workspace = await createWorkspace();
  // Slack as the installed app sees it: the channels the pipelines use with the bot and the people in them, and
  // the bot token's scopes from manifest.yml. `fake` overrides any of it.
  const fake: FakeSlack = await startFakeSlack({
    postsPerSecondPerChannel: postsPerSecond,
    users: PEOPLE,
    channels: [
      { id: DEPLOYS, name: 'deploys', members: MEMBERS },
      { id: ONCALL, name: 'oncall', members: MEMBERS },
    ],
    scopes: manifestBotScopes(),
    ...options.fake,
  });
  const file = await workspace.writePipeline(
    options.pipelineYaml ?? testPipeline({ prometheusUrl: prometheus.url, ...options.pipeline }),
  );
  const bot: TestBot = await startTestBot({
    pipelineFile: file,
    env: {
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      SLACK_POSTS_PER_SECOND: String(postsPerSecond),
    },
    slackDelivery: { coalesceMs: options.coalesceMs ?? 20, retryDelayMs: 100, ...options.delivery },
    slackRetries: 1,
  });
  const eventsUrl = `${bot.url}/slack/events`;
  fake.deliverEventsTo({ url: eventsUrl, signingSecret: SECRET });

  function publish(version: string, service = 'checkout'): Promise<string> {
    return publishArtifact(bot.api, { service, version, commit: 'abc1234def' });
  }

  /** The promotion's parent message in its channel, once `predicate` holds for it. */
  function parent(
    version: string,
    predicate: (text: string) => boolean = () => true,
    options: { service?: string; channel?: string; timeoutMs?: number } = {},
  ): Promise<StoredMessage> {
    const prefix = `${options.service ?? 'checkout'} ${version}: `;
    return fake.waitForMessage(
      options.channel ?? DEPLOYS,
      (m) => isTopLevel(m) && m.text.startsWith(prefix) && predicate(textOf(m)),
      options.timeoutMs ?? 15_000,
    );
  }

  /** The promotion's production gate message, once `predicate` holds for it. */
  function gate(
    version: string,
    predicate: (message: StoredMessage) => boolean = () => true,
    options: { service?: string; channel?: string; timeoutMs?: number } = {},
  ): Promise<StoredMessage> {
    return fake.waitForMessage(
      options.channel ?? DEPLOYS,
      (m) => isGate(m, options.service ?? 'checkout', version) && predicate(m),
      options.timeoutMs ?? 15_000,
    );
  }

  /** A gate with its Approve and Reject buttons. */
  function openGate(version: string, service = 'checkout'): Promise<StoredMessage> {
    return gate(version, (m) => buttonsOf(m).length === 2, { service });
  }

  function newResponseUrl(target: { channel: string; userId: string; messageTs?: string }) {
    responseCounter += 1;
    const responseId = `R${String(responseCounter).padStart(6, '0')}`;
    return { responseId, url: fake.responseUrl(responseId, target) };
  }

  async function slash(
    command: string,
    text: string,
    userId: string,
    sign: SignOptions = {},
    channelId = DEPLOYS,
  ): Promise<Reply> {
    const { responseId, url } = newResponseUrl({ channel: channelId, userId });
    const http = await sendSlashCommand(
      eventsUrl,
      SECRET,
      { command, text, userId, channelId, responseUrl: url, triggerId: fake.triggerId() },
      sign,
    );
    return { http, responseId };
  }

  async function click(
    action: 'approve' | 'reject',
    message: StoredMessage,
    userId: string,
    sign: SignOptions = {},
  ): Promise<Reply & { triggerId: string }> {
    const actionId = `promotion.${action}`;
    const value = buttonsOf(message).find((b) => b.actionId === actionId)?.value;
    if (!value) throw new Error(`the message ${message.ts} has no ${actionId} button`);
    return clickValue(actionId, value, message, userId, sign);
  }

  /** Clicks a button as it was on `message` (a stale copy still carries it), by its value. */
  async function clickValue(
    actionId: string,
    value: string,
    message: StoredMessage,
    userId: string,
    sign: SignOptions = {},
  ): Promise<Reply & { triggerId: string }> {
    const { responseId, url } = newResponseUrl({ channel: message.channel, userId, messageTs: message.ts });
    const triggerId = fake.triggerId();
    const http = await sendBlockAction(
      eventsUrl,
      SECRET,
      {
        actionId,
        value,
        userId,
        channelId: message.channel,
        messageTs: message.ts,
        responseUrl: url,
        triggerId,
        message,
      },
      sign,
    );
    return { http, responseId, triggerId };
  }

  function submitReason(promotionId: string, reason: string, userId: string, sign: SignOptions = {}) {
    return sendViewSubmission(
      eventsUrl,
      SECRET,
      {
        callbackId: 'promotion.reject_reason',
        privateMetadata: promotionId,
        values: { reason: { reason } },
        userId,
      },
      sign,
    );
  }

  function openHome(userId: string, sign: SignOptions = {}) {
    return sendEvent(eventsUrl, SECRET, appHomeOpenedEvent(userId), sign);
  }

  /** What the bot answered on a request's response_url. */
  function replyTo(reply: Reply): Promise<RecordedResponse> {
    expect(reply.http.status).toBe(200);
    return waitFor(`a response to ${reply.responseId}`, () =>
      fake.responses.find((response) => response.id === reply.responseId),
    );
  }

  /** The ephemeral message the bot showed `userId` in answer to a request. */
  async function ephemeralReply(reply: Reply): Promise<string> {
    const response = await replyTo(reply);
    expect(response.response_type ?? 'ephemeral').toBe('ephemeral');
    expect(response.replace_original).toBe(false);
    return textOf({ text: response.body.text ?? '', blocks: response.body.blocks ?? [] });
  }

  /** Read-only: the promotion as the API reports it, for checks that nothing changed. */
  async function promotion(id: string) {
    const response = await bot.api('GET', `/api/promotions/${id}`);
    expect(response.status).toBe(200);
    return response.body;
  }

  async function close(): Promise<void> {
    await bot.shutdown();
    await fake.close();
    await prometheus.close();
    await workspace.remove();
  }

  return {
    fake,
    bot,
    workspace,
    prometheus,
    eventsUrl,
    publish,
    parent,
    gate,
    openGate,
    slash,
    click,
    clickValue,
    submitReason,
    openHome,
    replyTo,
    ephemeralReply,
    promotion,
    close,
  };
}

export function isTopLevel(message: StoredMessage): boolean {
  return message.thread_ts === undefined || message.thread_ts === message.ts;
}

/** A gate's fallback text: `checkout 1.0.0 needs approval for production` or `… production approval: …`. */
export function isGate(message: StoredMessage, service: string, version: string): boolean {
  return (
    isTopLevel(message) &&
    message.text.startsWith(`${service} ${version} `) &&
    message.blocks[0]?.type === 'header'
  );
}

/** One harness per test, closed after it, checking that Slack was never sent an invalid block. */
export function slackHarnessPerTest(): (options?: HarnessOptions) => Promise<SlackHarness> {
  let current: SlackHarness | undefined;
  afterEach(async () => {
    try {
      expect(current?.fake.blockErrors).toEqual([]);
    } finally {
      await current?.close();
      current = undefined;
    }
  });
  return async (options) => {
    current = await startSlackHarness(options);
    return current;
  };
}
