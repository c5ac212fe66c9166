// Human messages for zod's generic issues in the pipeline file. Schemas write their own messages where they know
// better; this map is the fallback for the rest (`is required`, `must be a list, not a string`, ...).
import type { z } from 'zod';

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a map of key: value',
  record: 'a map of key: value',
  array: 'a list',
};

function describe(input: unknown): string {
  if (input === null) return 'empty';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a map';
  if (typeof input === 'number' && !Number.isInteger(input)) return 'a fraction';
  return `a ${typeof input}`;
}

function sizeMessage(issue: z.core.$ZodRawIssue<z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig>): string {
  const bound = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
  const small = issue.code === 'too_small';
  if (issue.origin === 'array')
    return small ? `needs at least ${bound} item(s)` : `has more than ${bound} item(s)`;
  if (issue.origin === 'string') {
    if (small && bound === 1) return 'must not be empty';
    return small ? `must be at least ${bound} characters long` : `must be at most ${bound} characters long`;
  }
  if (small) return issue.inclusive ? `must be at least ${bound}` : `must be greater than ${bound}`;
  return issue.inclusive ? `must be at most ${bound}` : `must be less than ${bound}`;
}

/** A zod error map: pass it as `schema.safeParse(value, { error: issueMessage })`. */
export function issueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${EXPECTED[issue.expected] ?? issue.expected}, not ${describe(issue.input)}`;
    case 'too_small':
    case 'too_big':
      return sizeMessage(issue);
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return 'unknown key';
    case 'invalid_key':
      return issue.issues[0]?.message ?? 'is not a valid key';
    case 'invalid_element':
      return issue.issues[0]?.message ?? 'is not valid';
    case 'invalid_union':
      return 'is not valid here';
    case 'invalid_format':
      return 'has the wrong format';
    default:
      return undefined;
  }
}
