// What a worker records about the step it runs (its host, its process group, itself), and what the next worker
// to run the same step does with that record: waits for an earlier run still alive on this host, then stops it.
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { isProcessAlive, isProcessGroupAlive, killProcessGroup } from './process-group.js';

const RunRecord = z.object({
  host: z.string(),
  pgid: z.number().int().positive(),
  worker: z.number().int().positive().optional(),
});
export type RunRecord = z.infer<typeof RunRecord>;

export function encodeRunRecord(record: RunRecord): string {
  return JSON.stringify(RunRecord.parse(record));
}

/** The record, or undefined when it is missing or not one (written by something else: ignored). */
export function decodeRunRecord(raw: string | null | undefined): RunRecord | undefined {
  if (!raw) return undefined;
  try {
    const parsed = RunRecord.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The step may still be running from an earlier execution on this host: its worker was killed (its child lives
 * on) or lost the job's lock (it stops its child when it notices). Waits up to `graceMs` for that, then makes
 * sure. Returns the process group it had to kill, if any.
 */
export async function stopEarlierRun(
  record: RunRecord,
  options: { readonly host: string; readonly graceMs: number },
): Promise<number | undefined> {
  const { pgid, worker } = record;
  if (record.host !== options.host || !isProcessGroupAlive(pgid)) return undefined;
  const deadline = Date.now() + options.graceMs;
  while (worker !== undefined && isProcessAlive(worker) && isProcessGroupAlive(pgid) && Date.now() < deadline)
    await sleep(100);
  let killed: number | undefined;
  if (isProcessGroupAlive(pgid)) {
    killProcessGroup(pgid);
    killed = pgid;
  }
  const gone = Date.now() + 5000;
  while (isProcessGroupAlive(pgid) && Date.now() < gone) await sleep(25);
  return killed;
}
