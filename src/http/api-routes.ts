import type { FastifyInstance } from 'fastify';
import { toPromotionJson } from './promotion-view.js';
import { ArtifactBody, issuesOf, PromotionParams, PromotionsQuery } from './schemas.js';
import type { HttpDeps } from './server.js';

/** The API CI and tools call: publish artifacts, read promotions and their audit trails. */
export function registerApiRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/api/artifacts', async (request, reply) => {
    const parsed = ArtifactBody.safeParse(request.body);
    if (!parsed.success)
      return reply.code(400).send({ error: 'invalid artifact', issues: issuesOf(parsed.error) });
    const { service, version, digest, commit, url, notes, dryRun } = parsed.data;
    const artifact = {
      service,
      version,
      digest,
      ...(commit ? { commit } : {}),
      ...(url ? { url } : {}),
      ...(notes ? { notes } : {}),
    };
    if (dryRun) {
      const planned = await deps.commands.plan(artifact);
      if (planned.kind === 'unknown-service') return reply.code(404).send({ error: planned.message });
      // 200 even when publishing would be refused: the plan's outcome says so, and nothing was created.
      return reply.code(200).send({ dryRun: true, plan: planned.plan });
    }
    const result = await deps.commands.publish(artifact, 'api');
    switch (result.kind) {
      case 'unknown-service':
        return reply.code(404).send({ error: result.message });
      case 'conflict':
        return reply.code(409).send({ error: result.message });
      case 'removed':
        // Published before, identically: the same id, though retention has removed its promotion since.
        return reply.code(200).send({ id: result.promotionId, status: 'removed' });
      case 'created':
      case 'existing': {
        const body = toPromotionJson(result.promotion, deps.pipeline.services.get(service), []);
        return reply.code(result.kind === 'created' ? 202 : 200).send({ id: body.id, status: body.status });
      }
    }
  });

  app.get('/api/promotions/:id', async (request, reply) => {
    const params = PromotionParams.safeParse(request.params);
    if (!params.success)
      return reply.code(400).send({ error: 'invalid promotion id', issues: issuesOf(params.error) });
    const stored = await deps.promotions.get(params.data.id);
    if (!stored) return reply.code(404).send({ error: `no promotion ${params.data.id}` });
    const { promotion } = stored;
    const events = await deps.promotions.events(promotion.id);
    return toPromotionJson(promotion, deps.pipeline.services.get(promotion.artifact.service), events);
  });

  app.get('/api/promotions/:id/events', async (request, reply) => {
    const params = PromotionParams.safeParse(request.params);
    if (!params.success)
      return reply.code(400).send({ error: 'invalid promotion id', issues: issuesOf(params.error) });
    if (!(await deps.promotions.get(params.data.id)))
      return reply.code(404).send({ error: `no promotion ${params.data.id}` });
    return { events: await deps.promotions.events(params.data.id) };
  });

  app.get('/api/promotions', async (request, reply) => {
    const query = PromotionsQuery.safeParse(request.query);
    if (!query.success)
      return reply.code(400).send({ error: 'invalid query', issues: issuesOf(query.error) });
    const names = query.data.service ? [query.data.service] : [...deps.pipeline.services.keys()];
    const unknown = names.find((name) => !deps.pipeline.services.has(name));
    if (unknown)
      return reply.code(404).send({
        error: `unknown service "${unknown}" (known: ${[...deps.pipeline.services.keys()].join(', ')})`,
      });
    const lists = await Promise.all(names.map((name) => deps.promotions.list(name, query.data.limit)));
    const promotions = lists
      .flat()
      .map((promotion) =>
        toPromotionJson(promotion, deps.pipeline.services.get(promotion.artifact.service), []),
      );
    return { promotions };
  });
}
