// What the stand-in's page routes share: the Web API stand-in, the workspace it pretends to be, and where the bot
// listens (the app's Request URL).
import type { LiveUpdates } from './live-updates.js';
import type { FakeChannel, FakeSlack, FakeUser } from './web-api/index.js';

export type StandinOptions = {
  /** Signs every request the stand-in sends to the bot, as Slack signs with the app's signing secret. */
  readonly signingSecret: string;
  /** The bot token the Web API accepts (`xoxb-…`). */
  readonly botToken: string;
  /** The people of the workspace; the page lets you act as any of them. The first is the default. */
  readonly users: readonly FakeUser[];
  readonly channels: readonly FakeChannel[];
  /** The bot token's scopes (its manifest's bot scopes: `manifestBotScopes`). */
  readonly scopes: readonly string[];
  /** The slash commands the app has (its manifest's): others are refused the way Slack refuses them. */
  readonly commands: readonly string[];
  readonly teamName?: string;
  readonly appName?: string;
  /** Port on 127.0.0.1 (default 0: a free one). */
  readonly port?: number;
  readonly postsPerSecondPerChannel?: number;
};

export type StandinContext = {
  readonly web: FakeSlack;
  readonly options: StandinOptions;
  /** The bot's /slack/events URL, once it is known. */
  readonly requestUrl: () => string | undefined;
  /** Modals the person closed or submitted: Slack forgets them, the Web API stand-in keeps them. */
  readonly closedViews: Set<string>;
  readonly live: LiveUpdates;
};
