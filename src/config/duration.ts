import ms from 'ms';
import { z } from 'zod';

export type DurationResult = { ok: true; milliseconds: number } | { ok: false; message: string };

const EXAMPLE = 'expected a duration like 30s, 5m or 24h';
const UNITS =
  'milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y';
const WITH_UNIT = new RegExp(`^(?:\\d+(?:\\.\\d+)?|\\.\\d+) *(?:${UNITS})$`, 'i');
const BARE_NUMBER = /^-?(?:\d+(?:\.\d+)?|\.\d+)$/;

function hasUnit(text: string): text is ms.StringValue {
  return WITH_UNIT.test(text);
}

/** `30s`, `5m`, `24h`, `500ms`, `1.5h` -> milliseconds (rounded to a whole number). */
export function parseDuration(text: string): DurationResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: `is empty: ${EXAMPLE}` };
  if (trimmed.startsWith('-')) return { ok: false, message: `"${trimmed}" is negative: ${EXAMPLE}` };
  if (BARE_NUMBER.test(trimmed)) {
    return {
      ok: false,
      message: `"${trimmed}" has no unit: write ${trimmed}s for seconds, ${trimmed}m for minutes or ${trimmed}ms for milliseconds`,
    };
  }
  if (!hasUnit(trimmed)) return { ok: false, message: `"${trimmed}" is not a duration: ${EXAMPLE}` };
  const milliseconds = ms(trimmed);
  if (!Number.isFinite(milliseconds)) return { ok: false, message: `"${trimmed}" is too long: ${EXAMPLE}` };
  return { ok: true, milliseconds: Math.round(milliseconds) };
}

function durationTypeMessage(issue: { input?: unknown }): string {
  if (typeof issue.input === 'number') {
    return `${issue.input} has no unit: write ${issue.input}s for seconds, ${issue.input}m for minutes or ${issue.input}ms for milliseconds`;
  }
  return EXAMPLE;
}

/** A duration written as text (`30s`) -> milliseconds. Zero is allowed (`initialDelay: 0s`). */
export const Duration = z.string({ error: durationTypeMessage }).transform((text, ctx) => {
  const result = parseDuration(text);
  if (result.ok) return result.milliseconds;
  ctx.addIssue({ code: 'custom', message: result.message, input: text });
  return z.NEVER;
});

/** A duration that must be longer than zero: timeouts, intervals, expiries. */
export const PositiveDuration = Duration.refine((milliseconds) => milliseconds > 0, {
  error: `must be longer than 0: ${EXAMPLE}`,
});
