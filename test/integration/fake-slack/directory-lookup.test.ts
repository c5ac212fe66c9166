import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackDirectory, type SlackDirectoryOptions } from '../../../src/slack/directory.js';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack/index.js';
import { waitFor } from '../../support/wait-for.js';
import { CHANNELS, webClient } from './web-client.js';

// The directory against a fake Slack that answers usergroups.users.list, or refuses to: a refusal is an answer
// (with Slack's code) and an error line for the operator, never a throw and never "not a member".

type Logged = { readonly data: Readonly<Record<string, unknown>>; readonly message: string };

describe('the Slack directory', () => {
  let fake: FakeSlack;
  let logged: Logged[];

  beforeEach(async () => {
    fake = await startFakeSlack({
      channels: CHANNELS,
      usergroups: { S0RELEASE: ['U0ERIN'], S0SRE: ['U0BOB'] },
    });
    logged = [];
  });

  afterEach(async () => {
    await fake.close();
  });

  function directory(options: Omit<SlackDirectoryOptions, 'log'> = {}) {
    const log = {
      error(data: Readonly<Record<string, unknown>>, message: string) {
        logged.push({ data, message });
      },
      info(data: Readonly<Record<string, unknown>>, message: string) {
        logged.push({ data, message });
      },
    };
    return createSlackDirectory(webClient(fake), { log, ...options });
  }

  it('finds the groups a user is in', async () => {
    expect(await directory().groupsOf('U0ERIN', ['S0RELEASE', 'S0SRE'])).toEqual({
      groups: ['S0RELEASE'],
      failures: [],
    });
    expect(logged).toEqual([]);
  });

  it.each(['missing_scope', 'plan_upgrade_required', 'not_allowed_token_type'])(
    'reports %s with the group, and logs it as an error',
    async (error) => {
      fake.failNext('usergroups.users.list', 1, { error });

      const lookup = await directory().groupsOf('U0ERIN', ['S0RELEASE']);

      expect(lookup).toEqual({ groups: [], failures: [{ group: 'S0RELEASE', error }] });
      expect(logged).toEqual([{ data: { group: 'S0RELEASE', error }, message: 'user group lookup failed' }]);
    },
  );

  it('reports a group that does not exist as no_such_subteam', async () => {
    const lookup = await directory().groupsOf('U0ERIN', ['S0GONE', 'S0RELEASE']);

    expect(lookup).toEqual({
      groups: ['S0RELEASE'],
      failures: [{ group: 'S0GONE', error: 'no_such_subteam' }],
    });
  });

  it('reports a Slack it cannot reach as network, and does not remember the failure', async () => {
    const members = directory();
    fake.failNext('usergroups.users.list', 1, { status: 503 });

    expect(await members.groupsOf('U0ERIN', ['S0RELEASE'])).toEqual({
      groups: [],
      failures: [{ group: 'S0RELEASE', error: 'network' }],
    });
    expect(await members.groupsOf('U0ERIN', ['S0RELEASE'])).toEqual({ groups: ['S0RELEASE'], failures: [] });
  });

  it('keeps the members last read when a refresh fails, and logs the failing group once', async () => {
    const members = directory({ groups: ['S0RELEASE'], refreshEveryMs: 20 });
    members.start();
    await waitFor('the first read', () => fake.callsTo('usergroups.users.list').find((call) => call.ok));
    fake.failFor(60_000, { error: 'missing_scope' }, 'usergroups.users.list');
    await waitFor(
      'three failed refreshes',
      () => fake.callsTo('usergroups.users.list').length >= 4 || undefined,
    );
    members.stop();

    expect(await members.groupsOf('U0ERIN', ['S0RELEASE'])).toEqual({ groups: ['S0RELEASE'], failures: [] });
    expect(logged).toEqual([
      { data: { group: 'S0RELEASE', error: 'missing_scope' }, message: 'user group lookup failed' },
    ]);
  });

  it('answers timeout when Slack is slower than the lookup may wait, and keeps what the slow answer brings', async () => {
    const members = directory({ lookupTimeoutMs: 50 });
    fake.failNext('usergroups.users.list', 1, { hangMs: 500 });

    expect(await members.groupsOf('U0ERIN', ['S0RELEASE'])).toEqual({
      groups: [],
      failures: [{ group: 'S0RELEASE', error: 'timeout' }],
    });
    await waitFor('the slow answer', () => fake.callsTo('usergroups.users.list').find((call) => call.ok));
    await waitFor('the members kept', async () => {
      const lookup = await members.groupsOf('U0ERIN', ['S0RELEASE']);
      return lookup.groups.length > 0 || undefined;
    });
    expect(fake.callsTo('usergroups.users.list')).toHaveLength(1);
  });
});
