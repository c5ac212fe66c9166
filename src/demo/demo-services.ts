// The demo services deploy.sh started: each environment's pid file names a detached process group. Stopping the
// demo stops them all (SIGTERM, then SIGKILL), so nothing it started outlives it.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessGroupAlive, signalProcessGroup } from '../steps/run/process-group.js';

const GRACE_MS = 3000;

/** The pids in `<dir>/*.pid`. */
export async function demoServicePids(dir: string): Promise<number[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const pids = await Promise.all(
    names
      .filter((name) => name.endsWith('.pid'))
      .map(async (name) => Number((await readFile(join(dir, name), 'utf8')).trim())),
  );
  return pids.filter((pid) => Number.isInteger(pid) && pid > 1);
}

export async function stopDemoServices(dir: string): Promise<void> {
  const groups = (await demoServicePids(dir)).filter(isProcessGroupAlive);
  for (const pgid of groups) signalProcessGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + GRACE_MS;
  while (groups.some(isProcessGroupAlive) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  for (const pgid of groups.filter(isProcessGroupAlive)) signalProcessGroup(pgid, 'SIGKILL');
}
