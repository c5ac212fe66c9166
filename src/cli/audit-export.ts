import { createWriteStream } from 'node:fs';
import { open, truncate } from 'node:fs/promises';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseAuditSince } from '../domain/audit-position.js';
import { type ResumePoint, resumePoint } from './audit-resume.js';
import { parseOptions } from './parse-options.js';
import { refusalLines } from './publish.js';

type Out = { out(line: string): void; err(line: string): void; stdout: Writable };

const OPTIONS = {
  since: { type: 'string' },
  out: { type: 'string' },
  service: { type: 'string' },
  api: { type: 'string' },
} as const;

const HELP_HINT = 'promotion-bot audit --help lists the options';
/** More than any audit line: the end of a file read to find its last entry. */
const TAIL_BYTES = 1024 * 1024;

/**
 * `promotion-bot audit export`: the audit trail as NDJSON, into FILE (appended, resuming after its last entry) or
 * onto stdout. Exit 0 once all of it is written, 1 when the bot refused or the transfer broke off (run it again:
 * it goes on where it stopped), 2 for bad arguments or a missing token.
 */
export async function auditCommand(
  args: string[],
  env: Record<string, string | undefined>,
  io: Out,
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'export') return usageProblem(io, [sub ? `unknown audit command "${sub}"` : 'missing: export']);
  const parsed = parseOptions(rest, OPTIONS);
  if (!parsed.ok) return usageProblem(io, parsed.problems);
  const { since, out, service, api } = parsed.values;
  if (since !== undefined) {
    const checked = parseAuditSince(since);
    if (!checked.ok) return usageProblem(io, [`--${checked.message}`]);
  }
  const token = env.PROMOTION_API_TOKEN;
  if (!token) {
    io.err('PROMOTION_API_TOKEN is required: set it to the API token the bot was started with');
    return 2;
  }
  const resume = out === undefined ? { ok: true as const, keep: 0 } : await resumeFrom(out);
  if (!resume.ok) {
    io.err(`cannot resume the export into ${out}: ${resume.message}`);
    return 1;
  }
  const from = resume.after ?? since;
  const base = api ?? env.PROMOTION_API_URL ?? 'http://127.0.0.1:3000';
  const url = new URL('api/audit', base.endsWith('/') ? base : `${base}/`);
  if (from !== undefined) url.searchParams.set('since', from);
  if (service !== undefined) url.searchParams.set('service', service);
  let response: Response;
  try {
    response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  } catch (error) {
    io.err(`could not reach ${base}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  if (response.status !== 200 || !response.body) {
    for (const line of refusalLines(response.status, await response.text()))
      io.err(line.replace('publish failed', 'export failed'));
    return 1;
  }
  if (out !== undefined) await truncate(out, resume.keep).catch(ignoreMissing);
  let entries = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) entries++;
      done(null, chunk);
    },
  });
  const target = out === undefined ? io.stdout : createWriteStream(out, { flags: 'a' });
  try {
    await pipeline(Readable.fromWeb(response.body), count, target, { end: out !== undefined });
  } catch (error) {
    io.err(
      `the export broke off after ${entries} entries (${error instanceof Error ? error.message : String(error)}); run it again to go on`,
    );
    return 1;
  }
  io.err(
    `exported ${entries} audit entries${out === undefined ? '' : ` to ${out}`}${from === undefined ? '' : ` (after ${from})`}`,
  );
  return 0;
}

/** Where FILE's export goes on: after its last complete line; from the start when it is new or empty. */
async function resumeFrom(file: string): Promise<ResumePoint> {
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!handle) return { ok: true, keep: 0 };
  try {
    const { size } = await handle.stat();
    const offset = Math.max(0, size - TAIL_BYTES);
    const tail = Buffer.alloc(size - offset);
    await handle.read(tail, 0, tail.length, offset);
    return resumePoint(tail, offset);
  } finally {
    await handle.close();
  }
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}

function usageProblem(io: Out, problems: readonly string[]): number {
  for (const problem of problems) io.err(problem);
  io.err(HELP_HINT);
  return 2;
}
