import { z } from 'zod';
import { ArtifactBody, issuesOf } from '../http/schemas.js';
import { parseOptions } from './parse-options.js';
import { DryRunReply } from './plan-schema.js';
import { planLines } from './plan-text.js';

type Out = { out(line: string): void; err(line: string): void };

const Reply = z.object({ id: z.string(), status: z.string() });

/** What the API says when it refuses: `{ error, issues? }` (see src/http). */
const Refusal = z.object({
  error: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

const OPTIONS = {
  service: { type: 'string' },
  version: { type: 'string' },
  digest: { type: 'string' },
  commit: { type: 'string' },
  url: { type: 'string' },
  notes: { type: 'string' },
  api: { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const;

/** Each required option and what it is, for the line that says it is missing. */
const REQUIRED: ReadonlyArray<readonly ['service' | 'version' | 'digest', string]> = [
  ['service', 'the service, as named in the pipeline file'],
  ['version', "the artifact's version, e.g. --version 1.4.2"],
  ['digest', 'its digest, sha256: and 64 lowercase hex digits'],
];

const HELP_HINT = 'promotion-bot publish --help lists the options';

/**
 * `promotion-bot publish`: what CI runs after building an artifact. Exit 0 when accepted (new or identical), 1
 * when the bot refused it or could not be reached, 2 when nothing was sent (bad arguments, no token). With
 * `--dry-run` it prints the plan and the bot creates nothing: exit 0 unless publishing would be refused.
 */
export async function publishCommand(
  args: string[],
  env: Record<string, string | undefined>,
  io: Out,
): Promise<number> {
  const parsed = parseOptions(args, OPTIONS);
  if (!parsed.ok) return usageProblem(io, parsed.problems);
  const { api, 'dry-run': dryRun, ...fields } = parsed.values;
  const missing = REQUIRED.filter(([name]) => fields[name] === undefined).map(
    ([name, what]) => `missing --${name}: ${what}`,
  );
  if (missing.length > 0) return usageProblem(io, missing);
  const body = ArtifactBody.safeParse(fields);
  if (!body.success)
    return usageProblem(
      io,
      issuesOf(body.error).map((issue) => `--${issue.path}: ${issue.message}`),
    );
  const token = env.PROMOTION_API_TOKEN;
  if (!token) {
    io.err('PROMOTION_API_TOKEN is required: set it to the API token the bot was started with');
    return 2;
  }
  const base = api ?? env.PROMOTION_API_URL ?? 'http://127.0.0.1:3000';
  let response: Response;
  try {
    response = await fetch(new URL('api/artifacts', base.endsWith('/') ? base : `${base}/`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(dryRun ? { ...body.data, dryRun: true } : body.data),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    io.err(`could not reach ${base}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const text = await response.text();
  if (dryRun && response.status === 200) return printPlan(io, text);
  const reply = Reply.safeParse(safeJson(text));
  if ((response.status === 202 || response.status === 200) && reply.success) {
    const what = response.status === 202 ? 'published' : 'already published';
    io.out(
      `${what}: ${body.data.service} ${body.data.version} -> promotion ${reply.data.id} (${reply.data.status})`,
    );
    return 0;
  }
  for (const line of refusalLines(response.status, text)) io.err(line);
  return 1;
}

function printPlan(io: Out, text: string): number {
  const plan = DryRunReply.safeParse(safeJson(text));
  if (!plan.success) {
    io.err(
      `dry run failed: the bot answered with something that is not a plan: ${text.trim().slice(0, 500)}`,
    );
    return 1;
  }
  for (const line of planLines(plan.data)) io.out(line);
  return plan.data.outcome.kind === 'conflict' ? 1 : 0;
}

function usageProblem(io: Out, problems: readonly string[]): number {
  for (const problem of problems) io.err(problem);
  io.err(HELP_HINT);
  return 2;
}

/** `publish failed: HTTP 409: <the server's message>`, then each issue it named, one per line. */
export function refusalLines(status: number, text: string): string[] {
  const refusal = Refusal.safeParse(safeJson(text));
  if (!refusal.success) {
    const shown = text.trim().slice(0, 500);
    return [`publish failed: HTTP ${status}${shown ? `: ${shown}` : ''}`];
  }
  const issues = (refusal.data.issues ?? []).map((issue) =>
    issue.path === '(body)' ? `  ${issue.message}` : `  ${issue.path}: ${issue.message}`,
  );
  return [`publish failed: HTTP ${status}: ${refusal.data.error}`, ...issues];
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
