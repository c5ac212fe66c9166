import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

// Slow step scripts write `started-…` markers holding their pid, which is also their process group (steps run
// detached). A worker killed with SIGKILL leaves such a script running; these helpers find and stop them.

/** The pid in a `started-…` marker (`started <pid>`), once the marker exists. */
export async function startedPid(dir: string, marker: string): Promise<number | undefined> {
  const text = await readFile(join(dir, marker), 'utf8').catch(() => '');
  const pid = Number(/^started (\d+)/.exec(text)?.[1]);
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}

/** The parent pid of a running process: for a step script, the worker process that runs it. */
export async function parentPid(pid: number): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  return Number.isInteger(ppid) ? ppid : undefined;
}

/** SIGKILLs the process group of every slow step that said it started in `dir`, so none outlives its test. */
export async function killStartedSteps(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => []);
  for (const name of names.filter((entry) => entry.startsWith('started-'))) {
    const pid = await startedPid(dir, name);
    if (pid === undefined) continue;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
