// The workspace (or Enterprise Grid org) the bot token belongs to, as Slack's auth.test tells it.
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';

export type InstalledWorkspace = {
  readonly teamId: string | undefined;
  readonly enterpriseId: string | undefined;
  /** An org-wide install answers for every workspace of its enterprise. */
  readonly orgWide: boolean;
};

const nonEmpty = z
  .string()
  .nullish()
  .transform((id) => (id ? id : undefined));

const AuthTestWorkspace = z
  .object({ team_id: nonEmpty, enterprise_id: nonEmpty, is_enterprise_install: z.boolean().nullish() })
  .transform(
    (result): InstalledWorkspace => ({
      teamId: result.team_id,
      enterpriseId: result.enterprise_id,
      orgWide: result.is_enterprise_install === true,
    }),
  );

/**
 * Remembers what the client's auth.test answers, so the one Bolt makes at start-up (it keeps only the bot's ids)
 * also tells us the installed team: no extra Web API call. Asked before any auth.test succeeded, it makes one.
 */
export function observeInstalledWorkspace(client: WebClient): () => Promise<InstalledWorkspace> {
  const authTest = client.auth.test;
  let known: InstalledWorkspace | undefined;
  client.auth.test = async (args) => {
    const result = await authTest(args);
    // Never in Bolt's way: an answer we cannot read leaves the workspace unknown, and it is asked again.
    const workspace = AuthTestWorkspace.safeParse(result);
    if (workspace.success) known = workspace.data;
    return result;
  };
  return async () => known ?? AuthTestWorkspace.parse(await client.auth.test());
}
