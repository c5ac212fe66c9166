import { escapeMrkdwn, LIMITS, neutraliseBackticks, truncateStart } from './text.js';

const FENCE = '```';
// Terminal colour codes and other control characters mean nothing in Slack.
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

export type CodeBlockOptions = {
  /** Most lines to keep; the last ones are kept. */
  readonly maxLines?: number;
  /** Most characters of the whole block, fences included. */
  readonly maxChars?: number;
};

/**
 * Step output as a mrkdwn code block that keeps its LAST lines (where the error usually is), escaped so it
 * cannot ping or link, with backticks neutralised so it cannot close the fence. Empty output gives ''.
 */
export function codeBlock(output: readonly string[], options: CodeBlockOptions = {}): string {
  const maxLines = options.maxLines ?? 20;
  const maxChars = options.maxChars ?? LIMITS.sectionText;
  const lines = output
    .flatMap((line) => line.split(/\r?\n|\r/))
    .map((line) => neutraliseBackticks(escapeMrkdwn(line.replace(ANSI, '').replace(CONTROL, ''))));
  while (lines.length > 0 && lines.at(-1)?.trim() === '') lines.pop();
  if (lines.length === 0) return '';
  // Room for the fences, their newlines and a "… N earlier lines" note.
  const budget = maxChars - 2 * FENCE.length - 2 - 40;
  const kept: string[] = [];
  let used = 0;
  for (let index = lines.length - 1; index >= 0 && kept.length < maxLines; index -= 1) {
    const line = lines[index] ?? '';
    const room = budget - used - (kept.length > 0 ? 1 : 0);
    if (line.length > room) {
      if (kept.length === 0) kept.unshift(truncateStart(line, Math.max(1, room)));
      break;
    }
    kept.unshift(line);
    used += line.length + (kept.length > 1 ? 1 : 0);
  }
  const dropped = lines.length - kept.length;
  const note = dropped > 0 ? [`… ${dropped} earlier line${dropped === 1 ? '' : 's'} not shown`] : [];
  return `${FENCE}\n${[...note, ...kept].join('\n')}\n${FENCE}`;
}
