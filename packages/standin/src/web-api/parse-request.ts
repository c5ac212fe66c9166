// Turns a Web API request into the arguments Slack reads: form fields, JSON bodies or multipart fields, plus
// query-string arguments; JSON-encoded fields decoded and flag/number fields coerced the way Slack coerces them.
import { boundaryOf, parseMultipart } from './multipart.js';
import type { Payload } from './types.js';

/** Fields that @slack/web-api JSON-encodes inside form bodies. */
const JSON_FIELDS = new Set([
  'blocks',
  'attachments',
  'view',
  'metadata',
  'files',
  'user_auth_blocks',
  'unfurls',
]);

const BOOLEAN_FIELDS = new Set([
  'reply_broadcast',
  'unfurl_links',
  'unfurl_media',
  'mrkdwn',
  'as_user',
  'link_names',
  'replace_original',
  'delete_original',
  'include_disabled',
  'include_count',
  'include_locale',
  'include_num_members',
  'inclusive',
  'return_im',
]);

const NUMBER_FIELDS = new Set(['length', 'limit']);

export type ParsedArgs =
  | { readonly ok: true; readonly args: Payload }
  | { readonly ok: false; readonly error: string };

export function parseArgs(body: Buffer, contentType: string, query: URLSearchParams): ParsedArgs {
  const fields: Payload = Object.fromEntries(query.entries());
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json') {
    if (body.length === 0) return { ok: true, args: normalize(fields) };
    const parsed = parseJson(body.toString('utf8'));
    if (parsed === undefined) return { ok: false, error: 'invalid_json' };
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { ok: false, error: 'json_not_object' };
    }
    return { ok: true, args: normalize({ ...fields, ...parsed }) };
  }
  if (type === 'multipart/form-data') {
    const boundary = boundaryOf(contentType);
    if (boundary === undefined) return { ok: false, error: 'invalid_form_data' };
    for (const part of parseMultipart(body, boundary)) {
      fields[part.name] = part.filename === undefined ? part.data.toString('utf8') : part.data;
    }
    return { ok: true, args: normalize(fields) };
  }
  for (const [key, value] of new URLSearchParams(body.toString('utf8'))) fields[key] = value;
  return { ok: true, args: normalize(fields) };
}

function normalize(fields: Payload): Payload {
  const args: Payload = {};
  for (const [key, value] of Object.entries(fields)) {
    args[key] = coerce(key, value);
  }
  return args;
}

function coerce(key: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (JSON_FIELDS.has(key)) return parseJson(value) ?? value; // undecodable JSON stays a string: the method says why
  if (BOOLEAN_FIELDS.has(key) && (value === 'true' || value === 'false' || value === '1' || value === '0')) {
    return value === 'true' || value === '1';
  }
  if (NUMBER_FIELDS.has(key) && /^\d+$/.test(value)) return Number(value);
  return value;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
