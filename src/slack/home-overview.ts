import { environmentOf, statusOf } from '../domain/promotion-view.js';
import type { HomeOverview } from './blocks/render-home.js';
import type { SlackDeps } from './slack-deps.js';

/** Reads what App Home shows: per service, what runs where, what is in flight, what is held. */
export async function buildHomeOverview(
  deps: Pick<SlackDeps, 'pipeline' | 'promotions' | 'environments' | 'delivery'>,
): Promise<HomeOverview> {
  const services = await Promise.all(
    [...deps.pipeline.services.values()].map(async (service) => {
      const [environments, active, holds] = await Promise.all([
        Promise.all(
          service.environments.map(async (environment) => {
            const running = await deps.environments.current(service.name, environment.name);
            return running
              ? {
                  name: environment.name,
                  running: { version: running.version, digest: running.digest, since: running.at },
                }
              : { name: environment.name };
          }),
        ),
        deps.promotions.active(service.name),
        deps.environments.holds(service.name),
      ]);
      const inFlight = active.map((promotion) => ({
        version: promotion.artifact.version,
        status: statusOf(promotion.phase),
        environment: environmentOf(promotion, service),
      }));
      return { name: service.name, environments, inFlight, holds: [...holds] };
    }),
  );
  const deliveryProblems = await deps.delivery.problems();
  return { services, ...(deliveryProblems.length > 0 ? { deliveryProblems } : {}) };
}
