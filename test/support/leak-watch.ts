import { randomBytes, randomInt } from 'node:crypto';

// Real-looking, unique secret values for a bot under test, and a check that none of them (nor the telling part of
// one, nor its URL-encoded form) appears in a piece of text the bot produced or sent.

export type BotSecrets = {
  readonly botToken: string;
  readonly signingSecret: string;
  readonly appToken: string;
  readonly apiToken: string;
  readonly redisPassword: string;
  /** The secret part of a response_url: Slack's is `https://hooks.slack.com/commands/T…/…/<this>`. */
  readonly responseUrlKey: string;
};

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const digits = () => String(randomInt(1_000_000_000, 9_999_999_999));

export function newBotSecrets(): BotSecrets {
  return {
    botToken: `xoxb-${digits()}-${digits()}-${hex(12)}`,
    signingSecret: hex(16),
    appToken: `xapp-1-A0${hex(4).toUpperCase()}-${digits()}-${hex(32)}`,
    apiToken: hex(24),
    redisPassword: `pw-${hex(12)}`,
    responseUrlKey: hex(12),
  };
}

/** Every form in which a secret would be recognised: itself, without its `xoxb-`-style prefix, URL-encoded. */
function shapesOf(secret: string): string[] {
  const bare = secret.replace(/^(xox[a-z]|xapp)-/, '');
  return [...new Set([secret, bare, encodeURIComponent(secret)])];
}

/** The names of the secrets found in `text` (empty when it holds none). */
export function secretsIn(text: string, secrets: BotSecrets): string[] {
  return Object.entries(secrets)
    .filter(([, secret]) => shapesOf(secret).some((shape) => text.includes(shape)))
    .map(([name]) => name);
}
