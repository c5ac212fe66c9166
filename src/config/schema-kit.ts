// Building blocks shared by the pipeline file schemas: strict objects whose unknown-key message lists the allowed
// keys, Slack ids, names, URLs and uniqueness checks.
import { z } from 'zod';
import { STEP_CONTEXT_NAMES } from '../domain/step-context.js';

export const SERVICE_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;
export const ENVIRONMENT_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const CHANNEL_ID_PATTERN = /^[CGD][A-Z0-9]{2,}$/;
/** Users (U…, W…) and user groups (S…). */
export const PRINCIPAL_ID_PATTERN = /^[UWS][A-Z0-9]{2,}$/;

type StrictObjectOptions = {
  /** Message when the whole object is missing (a required key) or empty. */
  readonly missing?: string;
};

/**
 * `z.strictObject` whose unknown-key issue lists the allowed keys. The loader reports one problem per unknown
 * key, at the key itself, so the message does not repeat the key's name.
 */
export function strictObject<Shape extends z.core.$ZodLooseShape>(
  shape: Shape,
  options: StrictObjectOptions = {},
) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') return `unknown key; allowed keys are ${allowed}`;
      if (issue.code === 'invalid_type' && issue.input == null) return options.missing;
      return undefined;
    },
  });
}

/** A key that may not appear here; `message` says where it belongs instead. */
export function forbidden(message: string) {
  return z.undefined({ error: message }).optional();
}

export function identifier(pattern: RegExp, what: string, characters: string) {
  return z
    .string()
    .regex(
      pattern,
      `is not a valid ${what}: use ${characters} (at most 63, starting with a lowercase letter or a digit)`,
    );
}

export const ChannelId = z
  .string()
  .regex(
    CHANNEL_ID_PATTERN,
    'must be a Slack channel ID like C0123ABCD, not a #name (see the channel details in Slack)',
  );

export const PrincipalId = z
  .string()
  .regex(PRINCIPAL_ID_PATTERN, 'must be a Slack user ID (U… or W…) or user-group ID (S…), not a @name');

const PLACEHOLDER = /\$([A-Za-z_][A-Za-z0-9_]*)/g;
const KNOWN_PLACEHOLDERS: readonly string[] = STEP_CONTEXT_NAMES;

function unknownPlaceholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)]
    .map((match) => match[1] ?? '')
    .filter((placeholder) => !KNOWN_PLACEHOLDERS.includes(placeholder));
}

/** Text that may contain `$SERVICE`, `$VERSION`, ... placeholders, and no others. */
export const TemplateText = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    for (const placeholder of unknownPlaceholders(text)) {
      ctx.addIssue({
        code: 'custom',
        message: `has an unknown placeholder $${placeholder}: the known ones are ${STEP_CONTEXT_NAMES.map((known) => `$${known}`).join(', ')}`,
        input: text,
      });
    }
  });

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text.replace(PLACEHOLDER, 'placeholder'));
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export const HttpUrl = TemplateText.refine(isHttpUrl, 'must be an http:// or https:// URL');

export const Headers = z
  .record(
    z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'is not a valid HTTP header name'),
    z.string({ error: 'must be a string: put the header value in quotes' }),
  )
  .default({});

type DuplicateOptions = {
  /** What the values are, for the message: `approver`, `test name`. */
  readonly what: string;
  /** Where the issue goes, relative to the schema that checks. */
  readonly path: (index: number) => PropertyKey[];
};

/** Adds an issue for every value that repeats an earlier one; `undefined` values are skipped. */
export function reportDuplicates(
  values: readonly unknown[],
  ctx: { addIssue(issue: z.core.$ZodSuperRefineIssue): void },
  { what, path }: DuplicateOptions,
): void {
  const seen = new Set<unknown>();
  values.forEach((value, index) => {
    if (value === undefined) return;
    if (seen.has(value)) {
      ctx.addIssue({
        code: 'custom',
        message: `${what} ${JSON.stringify(value)} appears more than once: each must be unique`,
        path: path(index),
        input: value,
      });
    }
    seen.add(value);
  });
}
