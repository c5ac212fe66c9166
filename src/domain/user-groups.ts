import type { Pipeline } from './pipeline.js';

/** Slack user-group ids start with S (`S0RELEASE`); people are U… or W…. */
export function isUserGroupId(id: string): boolean {
  return id.startsWith('S');
}

/** Every user group the pipeline names as owners or approvers, once each, in file order. */
export function userGroupsOf(pipeline: Pipeline): readonly string[] {
  const named = [...pipeline.services.values()].flatMap((service) => [
    ...service.owners,
    ...service.environments.flatMap((environment) => environment.approval?.approvers ?? []),
  ]);
  return [...new Set(named.filter(isUserGroupId))];
}
