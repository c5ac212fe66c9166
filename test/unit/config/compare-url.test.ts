import { describe, expect, it } from 'vitest';
import { checkoutOf, PRODUCTION, problemsOf, SERVICE_HEADER, yaml } from './pipeline-text.js';

// `compareUrl` on a service: an https URL template with {from} and {to}, checked where it is written.

/** A checkout service with `compareUrl: <value>` on line 5. */
function withCompareUrl(value: string): string {
  return yaml(
    ...SERVICE_HEADER.slice(0, 4),
    `    compareUrl: ${value}`,
    ...SERVICE_HEADER.slice(4),
    ...PRODUCTION,
  );
}

function problemAt5(value: string) {
  return problemsOf(withCompareUrl(value)).map(({ path, line, message }) => {
    expect({ path, line }).toEqual({ path: 'services.checkout.compareUrl', line: 5 });
    return message;
  });
}

describe('compareUrl in the pipeline file', () => {
  it('keeps the template as written on the service', () => {
    const template = 'https://github.com/acme/checkout/compare/{from}...{to}';
    expect(checkoutOf(withCompareUrl(template)).compareUrl).toBe(template);
  });

  it('accepts the placeholders anywhere in the URL, in either order, and a query string', () => {
    const template = "'https://git.example.com/diff?to={to}&from={from}&view=split'";
    expect(checkoutOf(withCompareUrl(template)).compareUrl).toBe(
      'https://git.example.com/diff?to={to}&from={from}&view=split',
    );
  });

  it('leaves it out of a service that has none', () => {
    expect(checkoutOf(yaml(...SERVICE_HEADER, ...PRODUCTION))).not.toHaveProperty('compareUrl');
  });

  it('names the placeholder that is missing, with an example', () => {
    expect(problemAt5('https://github.com/acme/checkout/compare/{from}')).toEqual([
      'needs both {from} and {to} (missing {to}), like https://github.com/acme/checkout/compare/{from}...{to}',
    ]);
    expect(problemAt5('https://github.com/acme/checkout/commits')).toEqual([
      'needs both {from} and {to} (missing {from} and {to}), like https://github.com/acme/checkout/compare/{from}...{to}',
    ]);
  });

  it('refuses a placeholder it would not replace', () => {
    expect(problemAt5('https://github.com/acme/{service}/compare/{from}...{to}')).toEqual([
      'has an unknown placeholder {service}: only {from} and {to} are replaced',
    ]);
  });

  it('accepts only https', () => {
    for (const url of [
      'http://github.com/acme/checkout/compare/{from}...{to}',
      'javascript:alert(1)//{from}{to}',
      'ftp://example.com/{from}/{to}',
      '/acme/checkout/compare/{from}...{to}',
    ])
      expect(problemAt5(`'${url}'`)).toEqual([
        'must be an https:// URL, like https://github.com/acme/checkout/compare/{from}...{to}',
      ]);
  });

  it('refuses credentials in the URL: the link is shown to the channel', () => {
    expect(problemAt5('https://user:secret@github.com/{from}...{to}')).toEqual([
      'must not carry a user name or password: everyone in the channel sees the link',
    ]);
  });

  it('refuses what cannot sit inside a Slack link, and a lone brace', () => {
    for (const url of [
      "'https://github.com/acme/check out/compare/{from}...{to}'",
      "'https://github.com/acme/checkout/compare/{from}...{to}|click'",
      "'https://github.com/<!channel>/compare/{from}...{to}'",
      "'https://github.com/acme/checkout/compare/{from}...{to}}'",
    ])
      expect(problemAt5(url)).toEqual([
        'cannot contain spaces, quotes, <, >, |, a lone { or }, or control characters: percent-encode them',
      ]);
  });

  it('says what it must be when it is not a string', () => {
    expect(problemAt5('[https://github.com]')).toEqual([
      'must be an https:// URL with {from} and {to}, like https://github.com/acme/checkout/compare/{from}...{to}',
    ]);
  });
});
