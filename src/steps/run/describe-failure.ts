// One line saying why a `run` step failed, written for the failure notice.
import { existsSync } from 'node:fs';
import ms from 'ms';
import type { RunStep } from '../../domain/pipeline.js';

export type StopReason = 'timeout' | 'cancelled';
export type Exit = { code: number | null; signal: NodeJS.Signals | null };

export function describeFailure(
  exit: Exit,
  reason: StopReason | undefined,
  step: RunStep,
  signal?: AbortSignal,
): string {
  if (reason === 'timeout') return `timed out after ${ms(step.timeoutMs)}; its process group was stopped`;
  if (reason === 'cancelled') return `cancelled${describeAbortReason(signal)}; its process group was stopped`;
  if (exit.signal !== null) return `killed by ${exit.signal}`;
  return `exited with code ${exit.code ?? 'unknown'}`;
}

function describeAbortReason(signal?: AbortSignal): string {
  const reason: unknown = signal?.reason;
  if (typeof reason === 'string' && reason !== '') return ` (${reason})`;
  if (reason instanceof Error && reason.name !== 'AbortError' && reason.message !== '')
    return ` (${reason.message})`;
  return '';
}

export function describeSpawnError(error: Error, program: string, cwd: string): string {
  const code = 'code' in error ? error.code : undefined;
  if (code === 'ENOENT') {
    if (!existsSync(cwd)) return `working directory ${cwd} does not exist`;
    return program.includes('/')
      ? `command not found: ${program} (no such file, relative to ${cwd})`
      : `command not found: ${program} (not on PATH)`;
  }
  if (code === 'EACCES') return `permission denied running ${program}: is it executable (chmod +x)?`;
  return `could not start ${program}: ${error.message}`;
}
