// Requests from a workspace or Enterprise Grid org other than the one the bot is installed in are refused before
// any listener sees them. Slack signs them with the same app secret (the app installed elsewhere, a Slack Connect
// channel shared with another company), so the signature alone does not say the clicker is one of ours.
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { InstalledWorkspace } from './installed-workspace.js';

const id = z.string().nullish().catch(undefined);
const withIds = z.object({ id, team_id: id, enterprise_id: id }).nullish().catch(undefined);

/** Every place a command, an interaction or an event envelope names a team or an enterprise. */
const ClaimedIds = z.object({
  team_id: id,
  enterprise_id: id,
  team: withIds,
  user: withIds,
  enterprise: withIds,
});

export type ForeignClaim = { readonly teamIds: readonly string[]; readonly enterpriseIds: readonly string[] };

/** The ids a request names, when any of them is not the installed workspace's; undefined when it is ours. */
export function foreignClaimOf(body: unknown, installed: InstalledWorkspace): ForeignClaim | undefined {
  const parsed = ClaimedIds.safeParse(body);
  if (!parsed.success) return { teamIds: [], enterpriseIds: [] };
  const claimed = parsed.data;
  const teamIds = present([claimed.team_id, claimed.team?.id, claimed.user?.team_id]);
  const enterpriseIds = present([claimed.enterprise_id, claimed.enterprise?.id, claimed.team?.enterprise_id]);
  const ours = installed.orgWide
    ? enterpriseIds.length > 0 && enterpriseIds.every((e) => e === installed.enterpriseId)
    : teamIds.length > 0 &&
      teamIds.every((t) => t === installed.teamId) &&
      enterpriseIds.every((e) => e === installed.enterpriseId);
  return ours ? undefined : { teamIds, enterpriseIds };
}

function present(ids: ReadonlyArray<string | null | undefined>): string[] {
  return [...new Set(ids.filter((value): value is string => typeof value === 'string' && value !== ''))];
}

/**
 * A Bolt global middleware: a foreign request is acknowledged (so Slack shows no error) and goes no further: no
 * listener, no reply, nothing counted. The operator gets a warning naming the foreign ids.
 */
export function refuseForeignWorkspaces(
  installed: () => Promise<InstalledWorkspace>,
  log: Logger,
): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const workspace = await installed();
    const foreign = foreignClaimOf(args.body, workspace);
    if (!foreign) return args.next();
    log.warn(
      {
        teamIds: foreign.teamIds,
        enterpriseIds: foreign.enterpriseIds,
        installedTeamId: workspace.teamId,
        installedEnterpriseId: workspace.enterpriseId,
      },
      'refused a Slack request from another workspace',
    );
    if ('ack' in args && typeof args.ack === 'function') await args.ack();
  };
}
