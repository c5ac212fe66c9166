import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/domain/parse-command.js';
import { renderUsage } from '../../../src/slack/blocks/render-usage.js';
import { HOSTILE } from './promotions.js';

/** What a person sees: Slack shows entities as the characters they stand for. */
function shown(mrkdwn: string): string {
  return mrkdwn.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

describe('renderUsage', () => {
  it('gives the problem, the grammar of the command and the known services', () => {
    const text = renderUsage(
      '/promote',
      ['checkout', 'payments'],
      'missing version: which version of checkout should be promoted?',
    );
    expect(text).not.toMatch(/<service>/);
    expect(shown(text)).toBe(
      [
        ':warning: missing version: which version of checkout should be promoted?',
        '*Usage:* `/promote <service> <version> [to <environment>] [--force] [--dry-run]`',
        '*Services:* checkout, payments',
      ].join('\n'),
    );
  });

  it('gives each command its own grammar', () => {
    expect(shown(renderUsage('/hold', []))).toContain(
      '`/hold <service> [environment] [for <duration>] [reason…]`',
    );
    expect(shown(renderUsage('/unhold', []))).toContain('`/unhold <service> [environment]`');
    expect(shown(renderUsage('/rollback', []))).toContain('`/rollback <service> [environment] [reason…]`');
    expect(shown(renderUsage('/promotions', []))).toContain('`/promotions [service]`');
    expect(shown(renderUsage('promotions', []))).toContain('`/promotions [service]`');
  });

  it('lists every grammar for an unknown command and says when no services exist', () => {
    const text = renderUsage('/deploy', []);
    expect(text.match(/`\//g)).toHaveLength(5);
    expect(text).toContain('*Services:* none configured');
    expect(text).not.toContain(':warning:');
  });

  it('keeps a problem that echoes hostile input inert', () => {
    const text = renderUsage('/promote', ['checkout'], `unknown service "${HOSTILE}"`);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U123>');
  });

  it('keeps a hostile duration inert: what was typed is quoted, never a mention or a link', () => {
    const typed = 'checkout production for 1&lt;!channel&gt;&lt;https://evil.example|x&gt;h';
    const parsed = parseCommand('/hold', typed, new Map([['checkout', ['production']]]));
    if (parsed.ok) throw new Error('a hostile duration was accepted');

    const text = renderUsage('/hold', ['checkout'], parsed.problem);

    expect(parsed.problem).toContain('<!channel>');
    expect(text).not.toMatch(/<!channel>|<https:/);
    expect(text).toContain('&lt;!channel&gt;');
  });
});
