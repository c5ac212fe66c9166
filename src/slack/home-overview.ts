import { freezeCalendar } from '../domain/freeze.js';
import { environmentOf, statusOf } from '../domain/promotion-view.js';
import type { HomeOverview } from './blocks/render-home.js';
import type { SlackDeps } from './slack-deps.js';

/** How far ahead App Home lists the freeze windows that open next. */
const FREEZE_HORIZON_MS = 14 * 24 * 3600_000;

/** Reads what App Home shows: per service, what runs where, what is in flight, what is held or frozen. */
export async function buildHomeOverview(
  deps: Pick<SlackDeps, 'pipeline' | 'promotions' | 'environments' | 'delivery'>,
  now: Date = new Date(),
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
      const inFlight = active.map((promotion) => {
        const { phase } = promotion;
        return {
          version: promotion.artifact.version,
          status: statusOf(phase),
          environment: environmentOf(promotion, service),
          ...(phase.kind === 'soaking'
            ? { soak: { until: phase.until, leftMs: Date.parse(phase.until) - now.getTime() } }
            : {}),
        };
      });
      const freezes = freezeCalendar(service.freezes ?? [], now, FREEZE_HORIZON_MS);
      return { name: service.name, environments, inFlight, holds: [...holds], freezes };
    }),
  );
  const deliveryProblems = await deps.delivery.problems();
  return { services, ...(deliveryProblems.length > 0 ? { deliveryProblems } : {}) };
}
