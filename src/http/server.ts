import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import type { Pipeline } from '../domain/pipeline.js';
import type { Commands } from '../engine/commands.js';
import type { PromotionStore } from '../engine/ports.js';
import type { Logger } from '../logger.js';
import type { AuditLog } from '../store/audit-log.js';
import { registerApiRoutes } from './api-routes.js';
import { registerAuditRoute } from './audit-route.js';
import { guardSlackRequest, isSlackEventsPath, refuse } from './slack-request-guard.js';

export type HttpDeps = {
  readonly apiToken: string;
  readonly pipeline: Pipeline;
  readonly commands: Commands;
  readonly promotions: PromotionStore;
  /** The audit trail of every service, for GET /api/audit. */
  readonly audit: Pick<AuditLog, 'read' | 'services'>;
  readonly ready: () => Promise<{ ok: boolean; checks: Record<string, string> }>;
  readonly metrics: Registry;
  /** Worker processes serve only health and metrics. */
  readonly serveApi?: boolean;
  readonly log: Logger;
  /** Slack's requests go to Bolt once the guard has read and verified them. */
  readonly slack?: {
    readonly listener: (req: IncomingMessage, res: ServerResponse) => void;
    readonly signingSecret: string;
  };
  /** Shorter in tests; the defaults suit Slack (it answers within 3 s) and CI. */
  readonly timeouts?: Partial<HttpTimeouts>;
};

/** Slow or idle clients are cut off: a header read byte by byte, a body that never ends, a parked keep-alive. */
export type HttpTimeouts = {
  readonly headersMs: number;
  readonly requestMs: number;
  readonly keepAliveMs: number;
  /** How often Node looks for connections past the first two; its default (30 s) would let a slow client stay that long. */
  readonly checkEveryMs: number;
  /** How long close() waits for requests still in flight before it cuts their connections. */
  readonly shutdownGraceMs: number;
};

const TIMEOUTS: HttpTimeouts = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 5_000,
  checkEveryMs: 1_000,
  shutdownGraceMs: 5_000,
};

const BODY_LIMIT = 64 * 1024;

export function createHttpServer(deps: HttpDeps): FastifyInstance {
  const timeouts = { ...TIMEOUTS, ...deps.timeouts };
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    logger: false,
    return503OnClosing: true,
    http: { headersTimeout: timeouts.headersMs, connectionsCheckingInterval: timeouts.checkEveryMs },
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    forceCloseConnections: 'idle',
  });
  // Node stops enforcing the header and request timeouts once close() is called, so a client that never finishes
  // its request (a header sent byte by byte) would hold shutdown open for ever: after the grace, it is cut off.
  app.addHook('preClose', async () => {
    const cut = setTimeout(() => app.server.closeAllConnections(), timeouts.shutdownGraceMs).unref();
    app.server.once('close', () => clearTimeout(cut));
  });
  const expected = digestOf(deps.apiToken);

  app.addHook('onRequest', async (request, reply) => {
    const slack = deps.slack;
    if (slack && isSlackEventsPath(request.url)) {
      reply.hijack();
      const outcome = await guardSlackRequest(request.raw, { signingSecret: slack.signingSecret });
      if (outcome.ok) slack.listener(request.raw, reply.raw);
      else refuse(request.raw, reply.raw, outcome);
      return;
    }
    // The routed pattern, not the raw URL: `/%61pi/artifacts` routes to /api/artifacts and must be refused too.
    const route = request.routeOptions.url ?? '';
    if (route.startsWith('/api/') && !authorized(request, expected)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'missing or invalid bearer token (PROMOTION_API_TOKEN)' });
    }
  });

  // Only JSON bodies: a text/plain body is 415, like any other type we do not read.
  app.removeContentTypeParser(['text/plain']);

  app.setErrorHandler((error: { statusCode?: number; message: string; code?: string }, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      deps.log.error({ err: error }, 'request failed');
      return reply.code(status).send({ error: 'internal error' });
    }
    if (status === 413) return reply.code(413).send({ error: `body is larger than ${BODY_LIMIT} bytes` });
    if (status === 400) {
      return reply
        .code(400)
        .send({ error: 'invalid request body', issues: [{ path: '(body)', message: error.message }] });
    }
    return reply.code(status).send({ error: error.message });
  });

  if (deps.serveApi !== false) {
    registerApiRoutes(app, deps);
    registerAuditRoute(app, deps);
  }

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const readiness = await deps.ready();
    return reply
      .code(readiness.ok ? 200 : 503)
      .send({ status: readiness.ok ? 'ready' : 'not ready', checks: readiness.checks });
  });

  app.get('/metrics', async (_request, reply) => {
    return reply.type(deps.metrics.contentType).send(await deps.metrics.metrics());
  });

  return app;
}

function digestOf(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** Compares hashes in constant time, so the comparison leaks neither the token nor its length. */
function authorized(request: FastifyRequest, expected: Buffer): boolean {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer (.+)$/i.exec(header);
  return match?.[1] !== undefined && timingSafeEqual(digestOf(match[1]), expected);
}
