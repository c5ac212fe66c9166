import { describe, expect, it } from 'vitest';
import type { InstalledWorkspace } from '../../../src/slack/installed-workspace.js';
import { foreignClaimOf } from '../../../src/slack/workspace-guard.js';

const WORKSPACE: InstalledWorkspace = { teamId: 'T1', enterpriseId: undefined, orgWide: false };
const GRID_WORKSPACE: InstalledWorkspace = { teamId: 'T1', enterpriseId: 'E1', orgWide: false };
const ORG_WIDE: InstalledWorkspace = { teamId: undefined, enterpriseId: 'E1', orgWide: true };

const click = (team: unknown, user: unknown, enterprise: unknown = null) => ({
  type: 'block_actions',
  team,
  user,
  enterprise,
});

describe('foreignClaimOf', () => {
  it('accepts a click, a command and an event from the installed workspace', () => {
    expect(foreignClaimOf(click({ id: 'T1' }, { id: 'U1', team_id: 'T1' }), WORKSPACE)).toBeUndefined();
    expect(foreignClaimOf({ command: '/hold', team_id: 'T1', user_id: 'U1' }, WORKSPACE)).toBeUndefined();
    expect(foreignClaimOf({ type: 'event_callback', team_id: 'T1', event: {} }, WORKSPACE)).toBeUndefined();
  });

  it('refuses another team, a guest from another team, and any enterprise when none is installed', () => {
    expect(foreignClaimOf(click({ id: 'T2' }, { id: 'U1', team_id: 'T2' }), WORKSPACE)).toEqual({
      teamIds: ['T2'],
      enterpriseIds: [],
    });
    expect(foreignClaimOf(click({ id: 'T1' }, { id: 'U9', team_id: 'T2' }), WORKSPACE)?.teamIds).toEqual([
      'T1',
      'T2',
    ]);
    expect(foreignClaimOf(click({ id: 'T1' }, { id: 'U1' }, { id: 'E2' }), WORKSPACE)).toEqual({
      teamIds: ['T1'],
      enterpriseIds: ['E2'],
    });
    expect(foreignClaimOf({ command: '/hold', team_id: 'T2', user_id: 'U1' }, WORKSPACE)).toBeDefined();
  });

  it('refuses a request that names no team at all, or is not an object', () => {
    expect(foreignClaimOf({ command: '/hold', user_id: 'U1' }, WORKSPACE)).toBeDefined();
    expect(foreignClaimOf(null, WORKSPACE)).toBeDefined();
  });

  it('in an Enterprise Grid workspace, wants both its team and its enterprise', () => {
    expect(foreignClaimOf(click({ id: 'T1' }, { id: 'U1' }, { id: 'E1' }), GRID_WORKSPACE)).toBeUndefined();
    expect(foreignClaimOf(click({ id: 'T1' }, { id: 'U1' }, { id: 'E2' }), GRID_WORKSPACE)).toBeDefined();
    expect(foreignClaimOf(click({ id: 'T3' }, { id: 'U1' }, { id: 'E1' }), GRID_WORKSPACE)).toBeDefined();
  });

  it('for an org-wide install, takes any workspace of its enterprise and nothing outside it', () => {
    expect(foreignClaimOf(click(null, { id: 'U1', team_id: 'T7' }, { id: 'E1' }), ORG_WIDE)).toBeUndefined();
    expect(
      foreignClaimOf({ command: '/hold', team_id: 'T8', enterprise_id: 'E1' }, ORG_WIDE),
    ).toBeUndefined();
    expect(foreignClaimOf(click(null, { id: 'U1', team_id: 'T7' }, { id: 'E2' }), ORG_WIDE)).toBeDefined();
    expect(foreignClaimOf(click({ id: 'T7' }, { id: 'U1', team_id: 'T7' }), ORG_WIDE)).toBeDefined();
  });
});
