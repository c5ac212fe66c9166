import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ArtifactBody, issuesOf } from '../http/schemas.js';

type Out = { out(line: string): void; err(line: string): void };

const Reply = z.object({ id: z.string(), status: z.string() });

/** `promotion-bot publish`: what CI runs after building an artifact. Exit 0 when accepted (new or identical). */
export async function publishCommand(
  args: string[],
  env: Record<string, string | undefined>,
  io: Out,
): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        service: { type: 'string' },
        version: { type: 'string' },
        digest: { type: 'string' },
        commit: { type: 'string' },
        url: { type: 'string' },
        notes: { type: 'string' },
        api: { type: 'string' },
      },
    }));
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 2;
  }
  const { api, ...fields } = values;
  const body = ArtifactBody.safeParse(fields);
  if (!body.success) {
    for (const issue of issuesOf(body.error)) io.err(`--${issue.path}: ${issue.message}`);
    return 2;
  }
  const token = env.PROMOTION_API_TOKEN;
  if (!token) {
    io.err('PROMOTION_API_TOKEN is required: set it to the API token the bot was started with');
    return 2;
  }
  const base = typeof api === 'string' ? api : (env.PROMOTION_API_URL ?? 'http://127.0.0.1:3000');
  let response: Response;
  try {
    response = await fetch(new URL('api/artifacts', base.endsWith('/') ? base : `${base}/`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body.data),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    io.err(`could not reach ${base}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const text = await response.text();
  const reply = Reply.safeParse(safeJson(text));
  if ((response.status === 202 || response.status === 200) && reply.success) {
    const what = response.status === 202 ? 'published' : 'already published';
    io.out(
      `${what}: ${body.data.service} ${body.data.version} -> promotion ${reply.data.id} (${reply.data.status})`,
    );
    return 0;
  }
  io.err(`publish failed: HTTP ${response.status}: ${text}`);
  return 1;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
