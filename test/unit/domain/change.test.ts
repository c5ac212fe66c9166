import { describe, expect, it } from 'vitest';
import { changeOf, compareLink } from '../../../src/domain/change.js';

const GITHUB = 'https://github.com/acme/checkout/compare/{from}...{to}';
const OLD = '9fceb02d0ae598e95dc970b74767f19372d61af8';
const NEW = 'e83c5163316f89bfbde7d9ab23ca2e25604af290';

describe('changeOf', () => {
  it('compares by commit when production and the candidate both have one', () => {
    expect(changeOf({ version: '1.0.0', commit: OLD }, { version: '1.1.0', commit: NEW }, GITHUB)).toEqual({
      kind: 'changed',
      by: 'commit',
      from: { version: '1.0.0', commit: OLD },
      to: { version: '1.1.0', commit: NEW },
      url: `https://github.com/acme/checkout/compare/${OLD}...${NEW}`,
    });
  });

  it('compares by version when either side has no commit', () => {
    const url = 'https://github.com/acme/checkout/compare/1.0.0...1.1.0';
    expect(changeOf({ version: '1.0.0' }, { version: '1.1.0', commit: NEW }, GITHUB)).toEqual({
      kind: 'changed',
      by: 'version',
      from: { version: '1.0.0' },
      to: { version: '1.1.0', commit: NEW },
      url,
    });
    expect(changeOf({ version: '1.0.0', commit: OLD }, { version: '1.1.0' }, GITHUB)).toMatchObject({
      by: 'version',
      url,
    });
  });

  it('describes the change without a link when the service has no compareUrl', () => {
    expect(changeOf({ version: '1.0.0' }, { version: '1.1.0' }, undefined)).toEqual({
      kind: 'changed',
      by: 'version',
      from: { version: '1.0.0' },
      to: { version: '1.1.0' },
    });
  });

  it('has nothing to compare on a first release', () => {
    expect(changeOf(undefined, { version: '1.0.0', commit: NEW }, GITHUB)).toEqual({ kind: 'first_release' });
  });

  it('finds no change when production runs the same commit, even under another version or abbreviated', () => {
    expect(changeOf({ version: '1.0.0', commit: OLD }, { version: '1.0.1', commit: OLD }, GITHUB)).toEqual({
      kind: 'unchanged',
      by: 'commit',
      running: { version: '1.0.0', commit: OLD },
    });
    expect(
      changeOf({ version: '1.0.0', commit: OLD.slice(0, 7) }, { version: '1.0.1', commit: OLD }, GITHUB),
    ).toMatchObject({ kind: 'unchanged', by: 'commit' });
  });

  it('finds no change when production runs the same version and a commit is missing', () => {
    expect(changeOf({ version: '1.0.0' }, { version: '1.0.0', commit: NEW }, GITHUB)).toEqual({
      kind: 'unchanged',
      by: 'version',
      running: { version: '1.0.0' },
    });
  });

  it('keeps only the version and commit of what it compares', () => {
    const running = { version: '1.0.0', commit: OLD, digest: 'sha256:x', promotionId: 'p-1' };
    const change = changeOf(running, { version: '1.1.0', commit: NEW }, undefined);
    expect(change).toMatchObject({ from: { version: '1.0.0', commit: OLD } });
    expect(change.kind === 'changed' && Object.keys(change.from)).toEqual(['version', 'commit']);
  });
});

describe('compareLink', () => {
  it('URL-encodes what it puts in, so a version cannot add a path, a query, a fragment or a Slack token', () => {
    expect(compareLink(GITHUB, '1.0.0+build/7', 'x?y=1#z|<!channel> &')).toBe(
      'https://github.com/acme/checkout/compare/1.0.0%2Bbuild%2F7...x%3Fy%3D1%23z%7C%3C!channel%3E%20%26',
    );
  });

  it('replaces every occurrence in one pass: a value that reads {to} stays data', () => {
    expect(compareLink('https://x.example/{from}/{to}/{from}', '{to}', 'b')).toBe(
      'https://x.example/%7Bto%7D/b/%7Bto%7D',
    );
  });

  it('leaves anything that is not {from} or {to} as written', () => {
    expect(compareLink('https://x.example/$VERSION/{from}...{to}?q={x}', 'a', 'b')).toBe(
      'https://x.example/$VERSION/a...b?q={x}',
    );
  });
});
