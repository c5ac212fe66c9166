// A service's `compareUrl`: the page that shows the change between production and the candidate, like
// https://github.com/acme/checkout/compare/{from}...{to}. The gate links it; `{from}` and `{to}` are the only
// placeholders, replaced with URL-encoded commits or versions.
import { z } from 'zod';
import { COMPARE_PLACEHOLDERS } from '../domain/change.js';

const EXAMPLE = 'https://github.com/acme/checkout/compare/{from}...{to}';
const PLACEHOLDER = /\{([^{}]*)\}/g;
const KNOWN: readonly string[] = COMPARE_PLACEHOLDERS;
// What Slack cannot carry inside a link (`<url|label>`), and what no one means to put in a URL.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses.
const UNSAFE = /[\s<>|"`\\\u0000-\u001f\u007f]/;

type Issues = { addIssue(issue: z.core.$ZodSuperRefineIssue): void };

export const CompareUrl = z
  .string({ error: `must be an https:// URL with {from} and {to}, like ${EXAMPLE}` })
  .max(1000, 'must be at most 1000 characters long')
  .superRefine((template, ctx) => {
    const named = [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
    for (const name of named.filter((placeholder) => !KNOWN.includes(placeholder)))
      issue(ctx, `has an unknown placeholder {${name}}: only {from} and {to} are replaced`);
    const missing = KNOWN.filter((name) => !named.includes(name));
    if (missing.length > 0)
      issue(
        ctx,
        `needs both {from} and {to} (missing ${missing.map((name) => `{${name}}`).join(' and ')}), like ${EXAMPLE}`,
      );
    const bare = template.replace(PLACEHOLDER, 'x');
    if (UNSAFE.test(bare) || /[{}]/.test(bare))
      issue(
        ctx,
        'cannot contain spaces, quotes, <, >, |, a lone { or }, or control characters: percent-encode them',
      );
    else checkUrl(bare, ctx);
  });

function issue(ctx: Issues, message: string): void {
  ctx.addIssue({ code: 'custom', message });
}

function checkUrl(text: string, ctx: Issues): void {
  const url = parseUrl(text);
  if (url?.protocol !== 'https:' || url.hostname === '')
    issue(ctx, `must be an https:// URL, like ${EXAMPLE}`);
  else if (url.username !== '' || url.password !== '')
    issue(ctx, 'must not carry a user name or password: everyone in the channel sees the link');
}

/** `URL.parse` needs Node 22; the engines field allows 20. */
function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
