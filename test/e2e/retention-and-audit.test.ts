import { readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnBot } from '../support/bot-process.js';
import { API_TOKEN, nextDigest, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';
import { createWorkspace, testPipeline, type Workspace } from '../support/workspace.js';

// Retention and the audit export through the public interface: a bot whose RETENTION is a second removes
// finished promotions while their audit trail stays, served by GET /api/audit and written by
// `promotion-bot audit export`, which resumes after whatever a killed run left in its file.

let workspace: Workspace;
let bot: TestBot;
const removed: { id: string; version: string; digest: string }[] = [];

async function publishFailing(version: string): Promise<{ id: string; version: string; digest: string }> {
  await workspace.touch(`fail-deploy-development-${version}`);
  const digest = nextDigest();
  const response = await bot.api('POST', '/api/artifacts', { service: 'checkout', version, digest });
  expect(response.status).toBe(202);
  return { id: response.body.id, version, digest };
}

async function audit(query = ''): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(`${bot.url}/api/audit${query}`, {
    headers: { authorization: `Bearer ${API_TOKEN}` },
  });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

const linesOf = (text: string) => text.split('\n').filter(Boolean);
const idsOf = (text: string) => linesOf(text).map((line) => JSON.parse(line).id as string);

beforeAll(async () => {
  workspace = await createWorkspace();
  const pipelineFile = await workspace.writePipeline(testPipeline({ prometheusUrl: 'http://127.0.0.1:9' }));
  bot = await startTestBot({ pipelineFile, env: { RETENTION: '1s' }, retentionEveryMs: 100 });
  for (const version of ['1.0.0', '1.0.1', '1.0.2']) removed.push(await publishFailing(version));
  for (const promotion of removed)
    await waitFor(`promotion ${promotion.id} to be removed after failing`, async () =>
      (await bot.api('GET', `/api/promotions/${promotion.id}`)).status === 404 ? true : undefined,
    );
});

afterAll(async () => {
  await bot?.shutdown();
  await workspace?.remove();
});

describe('retention', () => {
  it('removes finished promotions past RETENTION, while their versions keep their digests', async () => {
    const [first] = removed;
    if (!first) throw new Error('nothing was published');

    expect((await bot.api('GET', '/api/promotions?service=checkout')).body).toEqual({ promotions: [] });
    const identical = await bot.api('POST', '/api/artifacts', {
      service: 'checkout',
      version: first.version,
      digest: first.digest,
    });
    expect(identical).toEqual({ status: 200, body: { id: first.id, status: 'removed' } });
    const other = await bot.api('POST', '/api/artifacts', {
      service: 'checkout',
      version: first.version,
      digest: nextDigest(),
    });
    expect(other.status).toBe(409);
    expect(other.body.error).toContain(`was already published with digest ${first.digest}`);
  });
});

describe('GET /api/audit', () => {
  it('streams the removed promotions’ audit trail as NDJSON, oldest first', async () => {
    const response = await audit();

    expect(response.status).toBe(200);
    expect(response.type).toBe('application/x-ndjson; charset=utf-8');
    const entries = linesOf(response.text).map((line) => JSON.parse(line));
    const published = entries.filter((entry) => entry.type === 'published');
    expect(published.map((entry) => entry.promotionId)).toEqual(removed.map((promotion) => promotion.id));
    expect(entries[0]).toMatchObject({ service: 'checkout', promotionId: removed[0]?.id, type: 'published' });
    for (const promotion of removed) {
      const own = entries.filter((entry) => entry.promotionId === promotion.id);
      expect(own.at(-1)).toMatchObject({ status: 'failed' });
    }
  });

  it('resumes after an entry id, and from an ISO time', async () => {
    const all = idsOf((await audit()).text);
    const cut = Math.floor(all.length / 2);

    expect(idsOf((await audit(`?since=${all[cut]}&service=checkout`)).text)).toEqual(all.slice(cut + 1));
    expect(idsOf((await audit('?since=2000-01-01T00:00:00Z')).text)).toEqual(all);
    expect(idsOf((await audit('?since=2999-01-01T00:00:00Z')).text)).toEqual([]);
  });

  it('refuses a bad query with the details, an unknown service, and a missing token', async () => {
    const bad = await audit('?since=last-tuesday');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toEqual({
      error: 'invalid query',
      issues: [
        {
          path: 'since',
          message:
            'since must be an ISO time like 2026-01-31T12:00:00Z or the id of an audit entry like checkout:1767225600000-0, not "last-tuesday"',
        },
      ],
    });
    const unknown = await audit('?service=payments');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text).error).toBe('unknown service "payments" (known: checkout)');
    const anonymous = await fetch(`${bot.url}/api/audit`);
    expect(anonymous.status).toBe(401);
  });
});

describe('promotion-bot audit export', () => {
  async function exportTo(file: string, extra: readonly string[] = []) {
    const child = spawnBot(['audit', 'export', '--out', file, '--api', bot.url, ...extra], {});
    return { code: await child.exited, output: child.output() };
  }

  it('writes the trail to a file, and a second run adds only what came since', async () => {
    const file = join(workspace.dir, 'audit.ndjson');

    const first = await exportTo(file);

    expect(first.code).toBe(0);
    const before = (await audit()).text;
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(first.output).toContain(`exported ${linesOf(before).length} audit entries to ${file}`);

    removed.push(await publishFailing('1.0.3'));
    const failures = async () =>
      linesOf((await audit()).text).filter((line) => line.includes('"type":"stepFailed"'));
    await waitFor('the new promotion to fail', async () =>
      (await failures()).length === 4 ? true : undefined,
    );
    const second = await exportTo(file);

    expect(second.code).toBe(0);
    const full = (await audit()).text;
    expect(await readFile(file, 'utf8')).toBe(full);
    expect(new Set(idsOf(full)).size).toBe(linesOf(full).length);
  });

  it('goes on after a run that was killed mid-line, with no entry twice and none left out', async () => {
    const file = join(workspace.dir, 'killed.ndjson');
    const full = (await audit()).text;
    const lines = linesOf(full);
    // What a kill leaves: some complete lines and a part of the next.
    const cutAt = Buffer.byteLength(lines.slice(0, 3).join('\n')) + 1 + 10;
    await writeFile(file, full);
    await truncate(file, cutAt);

    const resumed = await exportTo(file);

    expect(resumed.code).toBe(0);
    expect(resumed.output).toContain(`(after ${JSON.parse(lines[2] ?? '').id})`);
    expect(await readFile(file, 'utf8')).toBe(full);
  });

  it('completes whatever a real kill left', async () => {
    const file = join(workspace.dir, 'sigkill.ndjson');
    const child = spawnBot(['audit', 'export', '--out', file, '--api', bot.url], {});
    await waitFor('the export to start writing or finish', async () =>
      (await stat(file).catch(() => undefined)) ? true : undefined,
    );
    child.child.kill('SIGKILL');
    await child.exited;

    const resumed = await exportTo(file);

    expect(resumed.code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe((await audit()).text);
  });

  it('refuses a bad --since before it sends anything', async () => {
    const result = await exportTo(join(workspace.dir, 'never.ndjson'), ['--since', 'soon']);

    expect(result.code).toBe(2);
    expect(result.output).toContain('--since must be an ISO time');
    await expect(stat(join(workspace.dir, 'never.ndjson'))).rejects.toThrow();
  });
});
