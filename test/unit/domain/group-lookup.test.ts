import { describe, expect, it } from 'vitest';
import { describeLookupFailure, refuseUnresolved } from '../../../src/domain/group-lookup.js';

const APPROVERS = ['U0CAROL', 'S0RELEASE'];
const FAILED = [{ group: 'S0RELEASE', error: 'missing_scope' }];

describe('refuseUnresolved', () => {
  it('lets someone named directly through, whatever failed', () => {
    expect(refuseUnresolved(APPROVERS, { user: 'U0CAROL', groups: [] }, FAILED)).toBeUndefined();
  });

  it('lets someone found through another group through', () => {
    const ids = ['S0OTHER', 'S0RELEASE'];
    expect(refuseUnresolved(ids, { user: 'U0BOB', groups: ['S0OTHER'] }, FAILED)).toBeUndefined();
  });

  it('has nothing to say when no lookup failed or only a group not among the ids did', () => {
    expect(refuseUnresolved(APPROVERS, { user: 'U0BOB', groups: [] }, [])).toBeUndefined();
    const elsewhere = [{ group: 'S0ELSE', error: 'missing_scope' }];
    expect(refuseUnresolved(APPROVERS, { user: 'U0BOB', groups: [] }, elsewhere)).toBeUndefined();
  });

  it('says what is wrong to anyone else when a group could not be read', () => {
    expect(refuseUnresolved(APPROVERS, { user: 'U0BOB', groups: [] }, FAILED)).toBe(
      'I could not check membership of user group S0RELEASE: Slack said missing_scope (the app needs the usergroups:read scope; reinstall it with the manifest)',
    );
  });
});

describe('describeLookupFailure', () => {
  it.each([
    [
      'missing_scope',
      'Slack said missing_scope (the app needs the usergroups:read scope; reinstall it with the manifest)',
    ],
    [
      'plan_upgrade_required',
      'Slack said plan_upgrade_required (user groups need a paid Slack plan; name people by user id in the pipeline file)',
    ],
    [
      'no_such_subteam',
      'Slack said no_such_subteam (there is no such user group; check the ids in the pipeline file)',
    ],
    ['network', 'Slack could not be reached; try again in a moment'],
    ['ratelimited', 'Slack said ratelimited (too many lookups at once; try again in a minute)'],
    ['timeout', 'Slack did not answer in time; try again in a moment'],
  ])('explains %s', (error, explanation) => {
    expect(describeLookupFailure({ group: 'S0RELEASE', error })).toBe(
      `I could not check membership of user group S0RELEASE: ${explanation}`,
    );
  });
});
