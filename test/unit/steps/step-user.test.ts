import { describe, expect, it } from 'vitest';
import { decideStepIsolation, hasSwitchCapabilities, parsePasswd } from '../../../src/steps/run/step-user.js';

const USERS = parsePasswd(
  [
    'root:x:0:0:root:/root:/bin/bash',
    'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
    'promotion-bot:x:10001:10001::/home/promotion-bot:/bin/sh',
    'promotion-step:x:10002:10002::/home/promotion-step:/bin/sh',
    '# a comment',
    'broken:x:notanumber:1::/:/bin/sh',
    '',
  ].join('\n'),
);

describe('who run steps execute as', () => {
  it('parses /etc/passwd, skipping lines that are not users', () => {
    expect(USERS.map((user) => user.name)).toEqual(['root', 'nobody', 'promotion-bot', 'promotion-step']);
    expect(USERS[1]).toEqual({ name: 'nobody', uid: 65534, gid: 65534, home: '/nonexistent' });
  });

  it('as root, defaults to nobody, and takes STEP_USER by name or by id', () => {
    expect(decideStepIsolation({ botUid: 0, users: USERS })).toEqual({ separate: true, identity: USERS[1] });
    expect(decideStepIsolation({ botUid: 0, users: USERS, stepUser: 'promotion-step' })).toEqual({
      separate: true,
      identity: USERS[3],
    });
    expect(decideStepIsolation({ botUid: 0, users: USERS, stepUser: '10002' })).toEqual({
      separate: true,
      identity: USERS[3],
    });
    expect(decideStepIsolation({ botUid: 0, users: USERS, stepUser: '20000' })).toEqual({
      separate: true,
      identity: { name: '20000', uid: 20000, gid: 20000, home: '/' },
    });
  });

  it('says why when it cannot separate them', () => {
    const cases = [
      [{ botUid: 10001 }, 'not root, and STEP_USER is unset'],
      [{ botUid: 10001, stepUser: 'promotion-step' }, 'cannot switch to STEP_USER promotion-step'],
      [{ botUid: 10001, stepUser: 'promotion-bot' }, "is the bot's own user"],
      [{ botUid: 0, stepUser: 'root' }, "is the bot's own user"],
      [{ botUid: 0, stepUser: 'nosuchuser' }, 'is not a user on this host'],
      [{ botUid: 10001, stepUser: '0' }, 'is root'],
    ] as const;
    for (const [input, reason] of cases) {
      const decided = decideStepIsolation({ ...input, users: USERS });
      expect(decided.separate).toBe(false);
      expect(decided.separate ? '' : decided.reason).toContain(reason);
    }
  });

  it('lets a bot that is not root switch to STEP_USER when it holds CAP_SETUID, CAP_SETGID and CAP_KILL', () => {
    expect(
      decideStepIsolation({ botUid: 10001, canSwitchUsers: true, users: USERS, stepUser: 'promotion-step' }),
    ).toEqual({ separate: true, identity: USERS[3] });
    // Without STEP_USER a non-root bot has no default to switch to.
    expect(decideStepIsolation({ botUid: 10001, canSwitchUsers: true, users: USERS }).separate).toBe(false);
  });

  it('reads those capabilities from the effective set in /proc/self/status', () => {
    const status = (capEff: string) => `Name:\tnode\nCapInh:\t0000000000000000\nCapEff:\t${capEff}\n`;
    expect(hasSwitchCapabilities(status('000001ffffffffff'))).toBe(true); // root
    expect(hasSwitchCapabilities(status('00000000000000e0'))).toBe(true); // KILL, SETGID, SETUID only
    expect(hasSwitchCapabilities(status('00000000000000c0'))).toBe(false); // no KILL: could not stop its steps
    expect(hasSwitchCapabilities(status('0000000000000000'))).toBe(false);
    expect(hasSwitchCapabilities('no capabilities here')).toBe(false);
  });
});
