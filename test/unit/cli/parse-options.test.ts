import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../../src/cli/parse-options.js';

const OPTIONS = { service: { type: 'string' }, 'dry-run': { type: 'boolean' } } as const;

describe('parseOptions', () => {
  it('reads string options and switches', () => {
    expect(parseOptions(['--service', 'checkout', '--dry-run'], OPTIONS)).toEqual({
      ok: true,
      values: { service: 'checkout', 'dry-run': true },
    });
    expect(parseOptions(['--service=checkout'], OPTIONS)).toEqual({
      ok: true,
      values: { service: 'checkout' },
    });
  });

  it('refuses a value given to a switch, a string option without one, and names unknown options', () => {
    expect(parseOptions(['--dry-run=yes', '--service', '--dry-run', '--constructor'], OPTIONS)).toEqual({
      ok: false,
      problems: [
        '--dry-run takes no value',
        '--service needs a value (for one that starts with "-", write --service=VALUE)',
        'unknown option --constructor (options: --service, --dry-run)',
      ],
    });
    expect(parseOptions(['--service'], OPTIONS)).toEqual({
      ok: false,
      problems: ['--service needs a value'],
    });
  });
});
