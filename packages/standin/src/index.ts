// The local Slack stand-in: the Web API the bot calls, a page for people, and signed requests into the bot.

export { manifestBotScopes } from './manifest-scopes.js';
export { type Standin, startStandin } from './standin.js';
export type { StandinOptions } from './standin-context.js';
export type { FakeChannel, FakeUser } from './web-api/index.js';
