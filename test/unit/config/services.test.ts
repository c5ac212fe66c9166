import { describe, expect, it } from 'vitest';
import { checkoutOf, PRODUCTION, problemsOf, withEnvironments, yaml } from './pipeline-text.js';

describe('services in the pipeline file', () => {
  it('reports an empty file', () => {
    expect(problemsOf('')).toEqual([
      { path: '', line: 1, message: 'the pipeline file is empty: it needs a services: map' },
    ]);
  });

  it('reports an unknown top-level key and lists the allowed keys', () => {
    expect(problemsOf(yaml('servics:', '  checkout: {}'))).toEqual([
      { path: 'services', line: 1, message: 'is required' },
      { path: 'servics', line: 1, message: 'unknown key; allowed keys are freezes, services' },
    ]);
  });

  it('requires at least one service', () => {
    expect(problemsOf(yaml('services: {}'))).toEqual([
      { path: 'services', line: 1, message: 'needs at least one service' },
    ]);
  });

  it('reports an invalid service name at its key', () => {
    expect(problemsOf(yaml('services:', '  Check Out:', '    channel: C0DEPLOYS'))).toEqual([
      {
        path: 'services["Check Out"]',
        line: 2,
        message:
          'is not a valid service name: use lowercase letters, digits, ".", "_" and "-" (at most 63, starting with a lowercase letter or a digit)',
      },
    ]);
  });

  it('reports an unknown service key and lists the allowed keys', () => {
    const text = withEnvironments(...PRODUCTION).replace('    owners:', '    team: payments\n    owners:');

    expect(problemsOf(text)).toEqual([
      {
        path: 'services.checkout.team',
        line: 4,
        message:
          'unknown key; allowed keys are channel, alertChannel, owners, environments, freezes, compareUrl',
      },
    ]);
  });

  it('points a missing required key at its parent map', () => {
    const text = yaml(
      'services:',
      '  checkout:',
      '    owners: [U0ALICE]',
      '    environments:',
      ...PRODUCTION.map((line) => line.slice(2)),
    );

    expect(problemsOf(text)).toEqual([
      { path: 'services.checkout.channel', line: 3, message: 'is required' },
    ]);
  });

  it('rejects a channel name instead of a channel ID', () => {
    const text = withEnvironments(...PRODUCTION).replace('channel: C0DEPLOYS', 'channel: "#deploys"');

    expect(problemsOf(text)).toEqual([
      {
        path: 'services.checkout.channel',
        line: 3,
        message: 'must be a Slack channel ID like C0123ABCD, not a #name (see the channel details in Slack)',
      },
    ]);
  });

  it('sends alerts to the stage channel when no alert channel is set', () => {
    expect(checkoutOf(withEnvironments(...PRODUCTION)).alertChannel).toBe('C0DEPLOYS');
  });

  it('keeps a separate alert channel', () => {
    const text = withEnvironments(...PRODUCTION).replace(
      '    owners:',
      '    alertChannel: G0ONCALL\n    owners:',
    );

    expect(checkoutOf(text)).toMatchObject({ channel: 'C0DEPLOYS', alertChannel: 'G0ONCALL' });
  });

  it('accepts users and user groups as owners', () => {
    const text = withEnvironments(...PRODUCTION).replace('[U0ALICE]', '[U0ALICE, W0BOB, S0SRE]');

    expect(checkoutOf(text).owners).toEqual(['U0ALICE', 'W0BOB', 'S0SRE']);
  });

  it('rejects an owner given by name', () => {
    const text = withEnvironments(...PRODUCTION).replace('[U0ALICE]', '[U0ALICE, "@bob"]');

    expect(problemsOf(text)).toEqual([
      {
        path: 'services.checkout.owners[1]',
        line: 4,
        message: 'must be a Slack user ID (U… or W…) or user-group ID (S…), not a @name',
      },
    ]);
  });

  it('requires at least one owner', () => {
    const text = withEnvironments(...PRODUCTION).replace('[U0ALICE]', '[]');

    expect(problemsOf(text)).toEqual([
      {
        path: 'services.checkout.owners',
        line: 4,
        message: 'needs at least one Slack user ID (U…) or user-group ID (S…)',
      },
    ]);
  });

  it('names each service after its key', () => {
    const text = withEnvironments(...PRODUCTION);

    expect(checkoutOf(text).name).toBe('checkout');
  });
});
