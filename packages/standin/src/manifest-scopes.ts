// The bot scopes a Slack app manifest grants (`oauth_config.scopes.bot`): what the stand-in lets a bot token do.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

const Manifest = z.object({
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()).default([]) }) }),
});

export function manifestBotScopes(manifestPath: string | URL): string[] {
  const parsed = Manifest.safeParse(parse(readFileSync(manifestPath, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${String(manifestPath)}: oauth_config.scopes.bot must be a list of scopes`);
  }
  return parsed.data.oauth_config.scopes.bot;
}
