// The `http` step driver: one request whose status decides the step.
import ms from 'ms';
import type { HttpStep } from '../../domain/pipeline.js';
import type { StepContext } from '../../domain/step-context.js';
import { escapeUrlComponent, substitute } from '../../domain/template.js';
import { headLines, MAX_OUTPUT_LINES } from '../output-lines.js';
import { elapsedSince, type StepOutcome, type StepRunOptions } from '../step-outcome.js';
import { describeFetchError, redact } from './describe-fetch-error.js';
import { readBodyText } from './read-body.js';

export { describeFetchError, redact } from './describe-fetch-error.js';
export { readBodyText } from './read-body.js';

/** How much of a response body is read for the output lines. */
const MAX_BODY_BYTES = 64 * 1024;

/** Sends the request; `$NAME` in the url becomes the URL-escaped context value. Never rejects. */
export async function runHttpStep(
  step: HttpStep,
  context: StepContext,
  options: Pick<StepRunOptions, 'signal'>,
): Promise<StepOutcome> {
  const startedAt = performance.now();
  const url = substitute(step.url, context, escapeUrlComponent);
  const secrets = Object.values(step.headers);
  if (!URL.canParse(url)) return failed(startedAt, 'the url is not a valid URL once its $NAMEs are replaced');
  // One controller for the step's own timeout and the caller's signal (AbortSignal.timeout + any per step cost
  // more, and this runs for every step).
  const stop = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stop.abort();
  }, step.timeoutMs);
  timer.unref();
  const cancel = () => stop.abort();
  options.signal?.addEventListener('abort', cancel, { once: true });
  if (options.signal?.aborted) stop.abort();
  const { signal } = stop;
  try {
    const response = await fetch(url, {
      method: step.method,
      headers: { ...step.headers },
      ...(step.body === undefined ? {} : { body: step.body }),
      signal,
    });
    const { text } = await readBodyText(response, MAX_BODY_BYTES);
    const ok = matchesExpectedStatus(response.status, step.expectStatus);
    return {
      ok,
      durationMs: elapsedSince(startedAt),
      httpStatus: response.status,
      timedOut: false,
      ...(ok
        ? {}
        : { error: `expected ${describeExpectedStatus(step.expectStatus)}, got HTTP ${response.status}` }),
      output: [`HTTP ${response.status}`, ...headLines(redact(text, secrets), MAX_OUTPUT_LINES - 1)],
    };
  } catch (error) {
    if (timedOut) {
      return { ...failed(startedAt, `timed out after ${ms(step.timeoutMs)}`), timedOut: true };
    }
    if (options.signal?.aborted) return failed(startedAt, 'cancelled');
    return failed(startedAt, redact(describeFetchError(error), secrets));
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', cancel);
  }
}

export function matchesExpectedStatus(status: number, expected: HttpStep['expectStatus']): boolean {
  return expected === 'any-2xx' ? status >= 200 && status <= 299 : expected.includes(status);
}

function describeExpectedStatus(expected: HttpStep['expectStatus']): string {
  if (expected === 'any-2xx') return 'HTTP 2xx';
  return `HTTP ${expected.join(' or ')}`;
}

function failed(startedAt: number, error: string): StepOutcome {
  return { ok: false, durationMs: elapsedSince(startedAt), timedOut: false, error, output: [] };
}
