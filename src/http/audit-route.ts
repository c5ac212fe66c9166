import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { parseAuditSince } from '../domain/audit-position.js';
import type { AuditRecord } from '../store/audit-log.js';
import { AuditQuery, issuesOf } from './schemas.js';
import type { HttpDeps } from './server.js';

/**
 * One NDJSON line per entry: its id (what `since` resumes after), service, promotion, then the entry's own fields.
 * The entry's JSON object is spliced in as written rather than decoded and encoded again: the export's cost.
 */
export function toAuditLine(record: AuditRecord): string {
  const head = JSON.stringify({ id: record.id, service: record.service, promotionId: record.promotionId });
  const entry = record.entryJson;
  if (!entry.startsWith('{') || entry === '{}') return `${head}\n`;
  return `${head.slice(0, -1)},${entry.slice(1)}\n`;
}

/**
 * `GET /api/audit?since=&service=`: the audit trail as NDJSON, oldest first. Written a page at a time as the
 * client reads it (the stream pulls the next page only when the socket drains), so memory stays flat however long.
 */
export function registerAuditRoute(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/api/audit', async (request, reply) => {
    const query = AuditQuery.safeParse(request.query);
    if (!query.success)
      return reply.code(400).send({ error: 'invalid query', issues: issuesOf(query.error) });
    const since = parseAuditSince(query.data.since);
    if (!since.ok)
      return reply
        .code(400)
        .send({ error: 'invalid query', issues: [{ path: 'since', message: since.message }] });
    // A service removed from the pipeline file keeps its trail until AUDIT_RETENTION: Redis remembers it.
    const known = [...new Set([...deps.pipeline.services.keys(), ...(await deps.audit.services())])].sort();
    const { service } = query.data;
    if (service !== undefined && !known.includes(service))
      return reply.code(404).send({ error: `unknown service "${service}" (known: ${known.join(', ')})` });
    const pages = deps.audit.read(service === undefined ? known : [service], since.since);
    async function* lines() {
      for await (const page of pages) yield page.map(toAuditLine).join('');
    }
    const body = Readable.from(lines(), { objectMode: false });
    body.on('error', (error) => deps.log.error({ err: error }, 'audit stream failed'));
    return reply.type('application/x-ndjson; charset=utf-8').send(body);
  });
}
