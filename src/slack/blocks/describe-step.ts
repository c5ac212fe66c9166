import type { StepRecord } from '../../domain/promotion.js';
import { formatDuration } from './format.js';
import { escapeMrkdwn, inlineCode, truncate } from './text.js';

/** What a finished step reports: a StepRecord or an event's StepResult. */
export type StepOutcome = {
  readonly durationMs?: number;
  readonly exitCode?: number;
  readonly httpStatus?: number;
  readonly timedOut?: boolean;
  readonly error?: string;
};

const MARK: Readonly<Record<StepRecord['status'], string>> = {
  passed: ':white_check_mark:',
  failed: ':x:',
  running: ':arrows_counterclockwise:',
};

/** `:white_check_mark: *smoke* passed 1.1s` · `:x: *acceptance* failed 12.0s · exit code 1` */
export function stepLine(step: StepRecord): string {
  const duration = step.durationMs === undefined ? '' : ` ${formatDuration(step.durationMs)}`;
  const failure = step.status === 'failed' ? ` · ${describeFailure(step)}` : '';
  return `${MARK[step.status]} *${escapeMrkdwn(truncate(step.name, 100))}* ${step.status}${duration}${failure}`;
}

/** Why a step failed, as precisely as it was reported: timeout, exit code, HTTP status, or its error. */
export function describeFailure(outcome: StepOutcome): string {
  const parts: string[] = [];
  if (outcome.timedOut) {
    parts.push(
      outcome.durationMs === undefined
        ? 'timed out'
        : `timed out after ${formatDuration(outcome.durationMs)}`,
    );
  }
  if (outcome.exitCode !== undefined) parts.push(`exit code ${outcome.exitCode}`);
  if (outcome.httpStatus !== undefined) parts.push(`HTTP ${outcome.httpStatus}`);
  if (outcome.error && !restatesCode(outcome)) {
    parts.push(escapeMrkdwn(truncate(outcome.error.replace(/\s+/g, ' '), 300)));
  }
  return parts.length > 0 ? parts.join(' · ') : 'failed with no exit code or status';
}

/** The run driver's `exited with code 1` and `timed out after 2m; …` say again what the parts above say. */
function restatesCode(outcome: StepOutcome): boolean {
  const error = outcome.error ?? '';
  if (outcome.exitCode !== undefined && /^exited with code -?\d+$/.test(error)) return true;
  return outcome.timedOut === true && error.startsWith('timed out');
}

/** `deploy 4.2s · smoke 1.1s · total 5.3s`: what passed in an environment, on one line. */
export function passedSteps(steps: readonly StepRecord[]): string {
  const passed = steps.filter((step) => step.status === 'passed');
  if (passed.length === 0) return 'no steps recorded';
  const timed = passed.flatMap((step) => (step.durationMs === undefined ? [] : [step.durationMs]));
  // A total of only some steps would understate it; one step's total is its own duration.
  const total =
    passed.length > 1 && timed.length === passed.length
      ? [`total ${formatDuration(timed.reduce((sum, ms) => sum + ms, 0))}`]
      : [];
  return [
    ...passed.map((step) => {
      const duration = step.durationMs === undefined ? '' : ` ${formatDuration(step.durationMs)}`;
      return `${inlineCode(truncate(step.name, 100))}${duration}`;
    }),
    ...total,
  ].join(' · ');
}
