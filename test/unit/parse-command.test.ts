import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CommandCatalog, DEFAULT_HOLD_REASON, parseCommand } from '../../src/domain/parse-command.js';

const catalog: CommandCatalog = new Map([
  ['checkout', ['development', 'staging', 'production']],
  ['payments', ['staging', 'production']],
]);

function parsed(command: string, text: string) {
  const result = parseCommand(command, text, catalog);
  if (!result.ok) throw new Error(`expected ${command} ${text} to parse, got: ${result.problem}`);
  return result.command;
}

function problemOf(command: string, text: string): string {
  const result = parseCommand(command, text, catalog);
  if (result.ok)
    throw new Error(`expected ${command} ${text} to be refused, got ${JSON.stringify(result.command)}`);
  return result.problem;
}

describe('/promote', () => {
  it('reads a service and a version', () => {
    expect(parsed('/promote', 'checkout 1.4.2')).toEqual({
      name: 'promote',
      service: 'checkout',
      version: '1.4.2',
      force: false,
    });
  });

  it('reads a target environment and --force, in any order after the version', () => {
    expect(parsed('/promote', 'checkout 1.4.2 to production --force')).toEqual({
      name: 'promote',
      service: 'checkout',
      version: '1.4.2',
      to: 'production',
      force: true,
    });
    expect(parsed('/promote', 'checkout 1.4.2 --force to staging')).toMatchObject({
      to: 'staging',
      force: true,
    });
  });

  it('accepts --force after smart punctuation turned it into an em dash', () => {
    expect(parsed('/promote', 'checkout 1.4.2 —force')).toMatchObject({ force: true });
  });

  it('reads --dry-run anywhere after the service, alone or with --force and a target', () => {
    expect(parsed('/promote', 'checkout 1.4.2 --dry-run')).toEqual({
      name: 'promote',
      service: 'checkout',
      version: '1.4.2',
      force: false,
      dryRun: true,
    });
    expect(parsed('/promote', 'checkout --dry-run 1.4.2 to staging --force')).toEqual({
      name: 'promote',
      service: 'checkout',
      version: '1.4.2',
      to: 'staging',
      force: true,
      dryRun: true,
    });
  });

  it('accepts --dry-run as smart punctuation and hurried typing leave it', () => {
    for (const option of ['—dry-run', '–dry-run', '--DRY-RUN', '--dryrun', '--dry_run', '—dryrun']) {
      expect(parsed('/promote', `checkout 1.4.2 ${option}`), option).toMatchObject({
        dryRun: true,
        force: false,
      });
    }
  });

  it('is no dry run without the option', () => {
    expect(parsed('/promote', 'checkout 1.4.2 --force')).not.toHaveProperty('dryRun');
  });

  it('tolerates tabs, repeated spaces and non-breaking spaces', () => {
    expect(parsed('/promote', ' \tcheckout\u00a0\u00a01.4.2 \u202f to\tstaging  ')).toMatchObject({
      service: 'checkout',
      version: '1.4.2',
      to: 'staging',
    });
  });

  it('accepts versions with build metadata and pre-release parts', () => {
    expect(parsed('/promote', 'checkout 2.0.0-rc.1+build.7_a')).toMatchObject({
      version: '2.0.0-rc.1+build.7_a',
    });
  });

  it('names a missing version', () => {
    expect(problemOf('/promote', 'checkout')).toBe(
      'missing version: which version of checkout should be promoted?',
    );
    expect(problemOf('/promote', 'checkout to staging')).toMatch(/^missing version/);
  });

  it('names the characters a version may not contain', () => {
    expect(problemOf('/promote', 'checkout 1.4;rm')).toBe(
      'version "1.4;rm" has characters outside [A-Za-z0-9._+-]: ;',
    );
    expect(problemOf('/promote', 'checkout <@U123>')).toContain('has characters outside');
  });

  it('names an unknown or missing service, leaving the list of known ones to the usage reply', () => {
    expect(problemOf('/promote', 'chekout 1.4.2')).toBe('unknown service "chekout"');
    expect(problemOf('/promote', '')).toBe('missing service');
  });

  it("lists the service's environments for an unknown one", () => {
    expect(problemOf('/promote', 'payments 3.0.0 to development')).toBe(
      'payments has no environment "development" (environments: staging, production)',
    );
    expect(problemOf('/promote', 'checkout 1.4.2 to')).toBe(
      'missing environment after "to" (environments: development, staging, production)',
    );
  });

  it('refuses extra words and unknown options', () => {
    expect(problemOf('/promote', 'checkout 1.4.2 staging')).toBe(
      'unexpected "staging" after the version (write "to staging")',
    );
    expect(problemOf('/promote', 'checkout 1.4.2 to staging now')).toBe(
      'unexpected "now" after the environment',
    );
    expect(problemOf('/promote', 'checkout 1.4.2 --dryrrun')).toBe(
      'unknown option "--dryrrun" (options: --force, --dry-run)',
    );
  });
});

describe('/hold and /rollback', () => {
  it('takes the second word as an environment only when it names one of the service', () => {
    expect(parsed('/hold', 'checkout production db migration running')).toEqual({
      name: 'hold',
      service: 'checkout',
      environment: 'production',
      reason: 'db migration running',
    });
    expect(parsed('/hold', 'checkout deploys are frozen')).toEqual({
      name: 'hold',
      service: 'checkout',
      reason: 'deploys are frozen',
    });
  });

  it('gives a hold a default reason and a rollback none', () => {
    expect(parsed('/hold', 'checkout')).toEqual({
      name: 'hold',
      service: 'checkout',
      reason: DEFAULT_HOLD_REASON,
    });
    expect(parsed('/rollback', 'checkout production')).toEqual({
      name: 'rollback',
      service: 'checkout',
      environment: 'production',
    });
    expect(parsed('/rollback', 'checkout errors spiking')).toEqual({
      name: 'rollback',
      service: 'checkout',
      reason: 'errors spiking',
    });
  });

  it('decodes the entities Slack sends for &, < and >', () => {
    expect(parsed('/hold', 'checkout a &lt;b&gt; &amp;amp; c')).toMatchObject({ reason: 'a <b> &amp; c' });
  });

  it('refuses an overlong reason', () => {
    expect(problemOf('/hold', `checkout ${'x'.repeat(600)}`)).toMatch(/^the reason is too long/);
  });

  it('reads `for <duration>` after the environment (or the service) as how long the hold lasts', () => {
    expect(parsed('/hold', 'checkout production for 2h release freeze')).toEqual({
      name: 'hold',
      service: 'checkout',
      environment: 'production',
      forMs: 2 * 3600_000,
      reason: 'release freeze',
    });
    expect(parsed('/hold', 'checkout for 30m')).toEqual({
      name: 'hold',
      service: 'checkout',
      forMs: 30 * 60_000,
      reason: DEFAULT_HOLD_REASON,
    });
  });

  it('keeps `for` in the reason when no duration follows it', () => {
    expect(parsed('/hold', 'checkout production for the launch')).toEqual({
      name: 'hold',
      service: 'checkout',
      environment: 'production',
      reason: 'for the launch',
    });
  });

  it('says what is wrong with a duration that cannot be one, and refuses holds too short or too long', () => {
    expect(problemOf('/hold', 'checkout production for 2 hours')).toMatch(/"2" has no unit/);
    expect(problemOf('/hold', 'checkout for 500ms')).toBe('a hold lasts at least a second (`for 1s`)');
    expect(problemOf('/hold', 'checkout for 91d')).toMatch(/^a hold lasts at most 90 days/);
  });

  it('refuses hostile durations rather than holding for ever with them as the reason', () => {
    expect(problemOf('/hold', 'checkout production for -1h')).toMatch(/"-1h" is negative/);
    expect(problemOf('/hold', 'checkout production for +1h')).toMatch(/"\+1h" is not a duration/);
    expect(problemOf('/hold', 'checkout production for \uff12h')).toMatch(/is not a duration/);
    expect(problemOf('/hold', 'checkout production for \u0662h')).toMatch(/is not a duration/);
    expect(problemOf('/hold', 'checkout for 0s')).toBe('a hold lasts at least a second (`for 1s`)');
    expect(problemOf('/hold', 'checkout for 1e309s')).toMatch(/"1e309s" is not a duration/);
    expect(problemOf('/hold', 'checkout for 99999999999d')).toMatch(/^a hold lasts at most 90 days/);
    expect(problemOf('/hold', 'checkout for 9'.padEnd(400, '9').concat('d'))).toMatch(/^the hold's duration/);
  });

  it('reads no duration for /rollback', () => {
    expect(parsed('/rollback', 'checkout production for 2h')).toEqual({
      name: 'rollback',
      service: 'checkout',
      environment: 'production',
      reason: 'for 2h',
    });
  });
});

describe('/unhold and /promotions', () => {
  it('reads an optional environment or service', () => {
    expect(parsed('/unhold', 'checkout')).toEqual({ name: 'unhold', service: 'checkout' });
    expect(parsed('/unhold', 'checkout staging')).toEqual({
      name: 'unhold',
      service: 'checkout',
      environment: 'staging',
    });
    expect(parsed('/promotions', '')).toEqual({ name: 'promotions' });
    expect(parsed('/promotions', 'payments')).toEqual({ name: 'promotions', service: 'payments' });
  });

  it('refuses unknown environments and extra words', () => {
    expect(problemOf('/unhold', 'checkout qa')).toBe(
      'checkout has no environment "qa" (environments: development, staging, production)',
    );
    expect(problemOf('/unhold', 'checkout staging please')).toBe('unexpected "please" after the environment');
    expect(problemOf('/promotions', 'checkout payments')).toBe('unexpected "payments" after the service');
  });

  it('matches names regardless of case and answers with the configured spelling', () => {
    expect(parsed('/unhold', 'Checkout Staging')).toEqual({
      name: 'unhold',
      service: 'checkout',
      environment: 'staging',
    });
  });
});

describe('parseCommand', () => {
  it('names the commands it knows when given another', () => {
    expect(problemOf('/deploy', 'checkout')).toBe(
      'unknown command "/deploy" (commands: /promote, /hold, /unhold, /rollback, /promotions)',
    );
  });

  it('accepts the command with or without its slash', () => {
    expect(parsed('promotions', '')).toEqual({ name: 'promotions' });
  });

  it('never throws, and every refusal names a problem', () => {
    const word = fc.oneof(
      fc.constantFrom(
        'checkout',
        'payments',
        'to',
        'staging',
        'production',
        '--force',
        '—force',
        '--dry-run',
        '1.4.2',
        '&lt;',
        '__proto__',
      ),
      fc.string(),
    );
    const text = fc.array(word, { maxLength: 8 }).chain((words) =>
      fc
        .array(fc.constantFrom(' ', '\t', '\u00a0', '  ', '\n'), {
          minLength: words.length,
          maxLength: words.length,
        })
        .map((gaps) => words.map((w, i) => `${gaps[i]}${w}`).join('')),
    );
    const command = fc.oneof(
      fc.constantFrom('/promote', '/hold', '/unhold', '/rollback', '/promotions', 'promote'),
      fc.string(),
    );
    fc.assert(
      fc.property(command, text, (name, input) => {
        const result = parseCommand(name, input, catalog);
        return result.ok || result.problem.trim().length > 0;
      }),
      { numRuns: 2000 },
    );
  });

  it('only ever returns services and environments from the catalog', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('/promote', '/hold', '/unhold', '/rollback'),
        fc.string(),
        (name, input) => {
          const result = parseCommand(name, `checkout ${input}`, catalog);
          if (!result.ok) return true;
          const command = result.command;
          const environment =
            'environment' in command ? command.environment : 'to' in command ? command.to : undefined;
          return (
            command.name === 'promotions' ||
            (command.service === 'checkout' &&
              (environment === undefined || catalog.get('checkout')?.includes(environment) === true))
          );
        },
      ),
    );
  });
});
