// Escaping and truncation for Slack text. Anything a person or an artifact controls (versions, notes, reasons,
// step output) goes through `escapeMrkdwn` so it cannot become a mention, a channel ping or a link.

/** Slack's limits, as documented for Block Kit and chat.postMessage. */
export const LIMITS = {
  sectionText: 3000,
  sectionField: 2000,
  headerText: 150,
  buttonText: 75,
  contextText: 3000,
  contextElements: 10,
  messageBlocks: 50,
  viewBlocks: 100,
  fallbackText: 3000,
} as const;

const ELLIPSIS = '…';

// Characters a reader cannot see that change what they read: C0 controls but tab and newline, DEL, C1 controls,
// bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), the direction marks (U+200E, U+200F,
// U+061C), the zero-width space, word joiner and BOM. A right-to-left override shows `exe.txt` for `txt.exe`.
// (The zero-width joiner stays: emoji sequences need it.)
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is what this is for.
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/gu;

/** Removes the invisible control and bidi characters above; what is left is what a reader sees. */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/**
 * The one way user-provided text (reasons, notes, commit messages, versions, anything from Slack or the API)
 * enters mrkdwn: invisible characters removed, then `&`, `<` and `>` escaped as Slack asks, so `<!channel>`,
 * `<@U1>` and `<http://evil|docs>` show as typed and never notify or disguise a link. Renderers send it in text
 * objects with `verbatim: true` so Slack does not turn bare URLs or names into links either.
 */
export function escapeMrkdwn(text: string): string {
  return stripInvisible(text).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Cuts `text` to at most `max` characters, ending in `…`, never inside a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${safeCut(text, Math.max(0, max - ELLIPSIS.length))}${ELLIPSIS}`;
}

/**
 * Like `truncate`, for mrkdwn we composed: never ends inside an entity (`&amp;`) or a token (`<@U1>`), which only
 * we write because every user-controlled `<` is escaped.
 */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = safeCut(text, Math.max(0, max - ELLIPSIS.length));
  const open = kept.lastIndexOf('<');
  if (open > kept.lastIndexOf('>')) kept = kept.slice(0, open);
  const amp = kept.lastIndexOf('&');
  if (amp >= 0 && !kept.slice(amp).includes(';')) kept = kept.slice(0, amp);
  return `${kept}${ELLIPSIS}`;
}

/** Keeps the end of `text` (the part that explains a failure), starting with `…`. */
export function truncateStart(text: string, max: number): string {
  if (text.length <= max) return text;
  let start = text.length - Math.max(0, max - ELLIPSIS.length);
  if (isLowSurrogate(text.charCodeAt(start))) start += 1;
  return `${ELLIPSIS}${text.slice(start)}`;
}

/** A value inside inline code: escaped, and its backticks replaced so it cannot close the span. */
export function inlineCode(text: string): string {
  return `\`${neutraliseBackticks(escapeMrkdwn(text)) || ' '}\``;
}

/** Backticks become a look-alike (U+02CB) so output cannot end a code block early. */
export function neutraliseBackticks(text: string): string {
  return text.replaceAll('`', 'ˋ');
}

/** Never empty: Slack refuses text objects without text. */
export function nonEmpty(text: string, fallback = '-'): string {
  return text.trim() === '' ? fallback : text;
}

function safeCut(text: string, end: number): string {
  const cut = isLowSurrogate(text.charCodeAt(end)) ? end - 1 : end;
  return text.slice(0, Math.max(0, cut));
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
