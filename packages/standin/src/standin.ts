// startStandin: Slack on this machine, for the demo. The Web API stand-in the tests use (the bot calls it through
// SLACK_API_URL), plus a page where a person reads the channels and acts: their clicks, modal submissions, slash
// commands and Home tab visits reach the bot as signed requests, exactly as Slack sends them.
import { createLiveUpdates } from './live-updates.js';
import { createPageRoutes } from './page-routes.js';
import type { StandinContext, StandinOptions } from './standin-context.js';
import { type FakeSlack, startFakeSlack } from './web-api/index.js';

export type Standin = {
  /** The page: `http://127.0.0.1:PORT/`. */
  readonly url: string;
  /** What the bot gets as SLACK_API_URL. */
  readonly apiUrl: string;
  readonly web: FakeSlack;
  /** Where requests go: the bot's /slack/events (a Slack app's Request URL), Events API deliveries included. */
  setRequestUrl(url: string): void;
  close(): Promise<void>;
};

export async function startStandin(options: StandinOptions): Promise<Standin> {
  const live = createLiveUpdates();
  let requestUrl: string | undefined;
  let context: StandinContext | undefined;
  const web = await startFakeSlack({
    token: options.botToken,
    users: options.users,
    channels: options.channels,
    scopes: options.scopes,
    postsPerSecondPerChannel: options.postsPerSecondPerChannel ?? 1,
    ...(options.port === undefined ? {} : { port: options.port }),
    fallback: createPageRoutes(() => context),
  });
  context = { web, options, requestUrl: () => requestUrl, closedViews: new Set(), live };
  web.onCall(() => live.changed());
  return {
    url: `${web.url}/`,
    apiUrl: web.apiUrl,
    web,
    setRequestUrl(url) {
      requestUrl = url;
      web.deliverEventsTo({ url, signingSecret: options.signingSecret });
      live.changed();
    },
    async close() {
      live.close();
      await web.close();
    },
  };
}
