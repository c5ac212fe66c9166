// A `run` step is spawned detached, so its pid is also the id of a process group holding everything it started.
// Linux keeps exited processes as zombies until their parent reaps them (and PID 1 of a container often never
// does), so "alive" here means: has at least one member that is not a zombie.
import { readdirSync, readFileSync } from 'node:fs';

type ProcStat = { state: string; pgrp: number };

function readProcStat(pid: string | number): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so read after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

function hasProc(): boolean {
  try {
    readdirSync('/proc/self');
    return true;
  } catch {
    return false;
  }
}

function signalExists(target: number): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch (error) {
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

/** Whether the process exists and is not a zombie. */
export function isProcessAlive(pid: number): boolean {
  if (!signalExists(pid)) return false;
  const stat = readProcStat(pid);
  return stat === undefined ? !hasProc() : stat.state !== 'Z';
}

/** Whether any process of the group (pid of a detached step == its pgid) is still running. */
export function isProcessGroupAlive(pgid: number): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  if (!signalExists(-pgid)) return false;
  if (!hasProc()) return true;
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .some((entry) => {
      const stat = readProcStat(entry);
      return stat !== undefined && stat.pgrp === pgid && stat.state !== 'Z';
    });
}

/** Sends `signal` to every process of the group; false when the group no longer exists. */
export function signalProcessGroup(pgid: number, signal: NodeJS.Signals): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ESRCH') return false;
    throw error;
  }
}

/**
 * SIGKILLs the whole group, e.g. an orphaned step left by a worker that died before retrying it. False when no
 * member is running any more.
 */
export function killProcessGroup(pgid: number): boolean {
  if (!isProcessGroupAlive(pgid)) return false;
  return signalProcessGroup(pgid, 'SIGKILL');
}
