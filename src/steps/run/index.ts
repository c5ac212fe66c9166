// The `run` step driver: one program with its arguments, no shell, in its own process group so that a timeout or
// a shutdown stops everything it started.
import { type ChildProcess, spawn } from 'node:child_process';
import type { RunStep } from '../../domain/pipeline.js';
import type { StepContext } from '../../domain/step-context.js';
import { createOutputTail } from '../output-lines.js';
import { elapsedSince, type StepOutcome, type StepRunOptions } from '../step-outcome.js';
import { describeFailure, describeSpawnError, type Exit, type StopReason } from './describe-failure.js';
import { isProcessGroupAlive, signalProcessGroup } from './process-group.js';
import { toStepEnv } from './step-env.js';

export { isProcessAlive, isProcessGroupAlive, killProcessGroup } from './process-group.js';
export { isBotSecret, toStepEnv } from './step-env.js';
export { resolveStepIsolation, type StepIsolation } from './step-user.js';

const DEFAULT_KILL_GRACE_MS = 2_000;
/** After the program exits, how long background processes holding its stdout/stderr may keep the step open. */
const OUTPUT_DRAIN_MS = 250;
const GROUP_POLL_MS = 25;

/** Runs `step.command`; context values reach it only as environment variables. Never rejects. */
export function runCommandStep(
  step: RunStep,
  context: StepContext,
  options: StepRunOptions,
): Promise<StepOutcome> {
  const startedAt = performance.now();
  const [program, ...args] = step.command;
  if (program === undefined || program === '') {
    return Promise.resolve(notStarted(startedAt, 'the step has no command to run'));
  }
  if (options.signal?.aborted) return Promise.resolve(notStarted(startedAt, 'cancelled before it started'));
  let child: ChildProcess;
  try {
    child = spawn(program, args, {
      cwd: options.cwd,
      env: runAsEnv(toStepEnv(options.baseEnv, context), options),
      ...(options.runAs ? { uid: options.runAs.uid, gid: options.runAs.gid } : {}),
      detached: true,
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    // spawn throws synchronously for arguments it cannot pass on, e.g. a NUL byte in a context value.
    return Promise.resolve(notStarted(startedAt, `could not start ${program}: ${messageOf(error)}`));
  }
  return supervise(child, { program, step, options, startedAt });
}

/** A step running as another user gets that user's home and name, not the bot's (root's). */
function runAsEnv(env: Record<string, string>, { runAs }: StepRunOptions): Record<string, string> {
  return runAs ? { ...env, HOME: runAs.home, USER: runAs.name, LOGNAME: runAs.name } : env;
}

type Supervision = { program: string; step: RunStep; options: StepRunOptions; startedAt: number };

function supervise(
  child: ChildProcess,
  { program, step, options, startedAt }: Supervision,
): Promise<StepOutcome> {
  const tail = createOutputTail();
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => tail.write('stdout', chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => tail.write('stderr', chunk));

  return new Promise((resolve) => {
    const pid = child.pid;
    const timers: NodeJS.Timeout[] = [];
    let stopReason: StopReason | undefined;
    let exit: Exit | undefined;
    let killSent = false;
    let streamsClosed = false;
    let drained = false;
    let settled = false;

    function stop(reason: StopReason): void {
      if (stopReason !== undefined || exit !== undefined || pid === undefined) return;
      stopReason = reason;
      trySignal(pid, 'SIGTERM');
      timers.push(
        setTimeout(() => {
          killSent = true;
          trySignal(pid, 'SIGKILL');
          check();
        }, options.killGraceMs ?? DEFAULT_KILL_GRACE_MS),
      );
    }

    function check(): void {
      if (settled || exit === undefined) return;
      // Stopping: the group gets its grace period even when the program itself is already gone.
      if (stopReason !== undefined && !killSent && pid !== undefined && isProcessGroupAlive(pid)) return;
      if (!streamsClosed && !drained) return;
      settle(toOutcome(exit, stopReason, tail.end()));
    }

    function settle(outcome: StepOutcome): void {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve(outcome);
    }

    function toOutcome(exited: Exit, reason: StopReason | undefined, output: string[]): StepOutcome {
      const ok = reason === undefined && exited.code === 0;
      return {
        ok,
        durationMs: elapsedSince(startedAt),
        ...(exited.code === null ? {} : { exitCode: exited.code }),
        ...(exited.signal === null ? {} : { signal: exited.signal }),
        timedOut: reason === 'timeout',
        ...(ok ? {} : { error: describeFailure(exited, reason, step, options.signal) }),
        output,
      };
    }

    function onAbort(): void {
      stop('cancelled');
    }

    child.on('error', (error) => {
      // Only a failure to start settles here; errors after that (e.g. a failed kill) are followed by 'exit'.
      if (child.pid !== undefined) return;
      settle({
        ...notStarted(startedAt, describeSpawnError(error, program, options.cwd)),
        output: tail.end(),
      });
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      timers.push(
        setTimeout(() => {
          drained = true;
          check();
        }, OUTPUT_DRAIN_MS),
      );
      if (stopReason !== undefined) timers.push(setInterval(check, GROUP_POLL_MS));
      check();
    });
    child.on('close', () => {
      streamsClosed = true;
      check();
    });

    if (pid === undefined) return;
    timers.push(setTimeout(() => stop('timeout'), step.timeoutMs));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    options.onStart?.(pid);
  });
}

function trySignal(pgid: number, signal: NodeJS.Signals): void {
  try {
    signalProcessGroup(pgid, signal);
  } catch {
    // Nothing more can be done from here; the outcome still reports the timeout or cancellation.
  }
}

function notStarted(startedAt: number, error: string): StepOutcome {
  return { ok: false, durationMs: elapsedSince(startedAt), timedOut: false, error, output: [] };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
