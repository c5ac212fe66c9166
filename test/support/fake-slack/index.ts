// The Slack stand-in's Web API, as the tests use it: the token's scopes are the bot scopes of this repository's
// manifest.yml unless a test grants others.
import {
  type FakeSlack,
  manifestBotScopes as manifestBotScopesOf,
  type FakeSlackOptions as StandinWebApiOptions,
  startFakeSlack as startStandinWebApi,
} from '@promotion-bot/standin/web-api';

export * from '@promotion-bot/standin/web-api';
export { TEST_CHANNELS } from './channels.js';

export const REPO_MANIFEST = new URL('../../../manifest.yml', import.meta.url);

export type FakeSlackOptions = Omit<StandinWebApiOptions, 'scopes'> & { readonly scopes?: readonly string[] };

export function manifestBotScopes(manifestPath: string | URL = REPO_MANIFEST): string[] {
  return manifestBotScopesOf(manifestPath);
}

export function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  return startStandinWebApi({ ...options, scopes: options.scopes ?? manifestBotScopes() });
}
