import type { Effect, Transition } from './events.js';
import { phaseInWords } from './phase-words.js';
import { productionIndex } from './pipeline.js';
import type { Promotion } from './promotion.js';
import { type Ctx, type Event, moved, notice, refuse } from './transition-kit.js';

// A newer version of the same service overtakes this one before production.

export function onSuperseded(p: Promotion, e: Event<'superseded'>, ctx: Ctx): Transition {
  const phase = p.phase;
  const done = (draining: number | undefined, effects: readonly Effect[]): Transition =>
    moved(p, { kind: 'superseded', by: e.by, ...(draining === undefined ? {} : { draining }), was: phase }, [
      ...effects,
      notice({ kind: 'superseded', by: e.by }),
    ]);
  const production = productionIndex(ctx.service);
  if ((phase.kind === 'entering' || phase.kind === 'blocked') && phase.environment === production) {
    // Approved and on its way into production: a newer version waits for its own approval instead.
    return refuse(`${p.artifact.version} is approved for production and is not overtaken`);
  }
  switch (phase.kind) {
    case 'entering':
    case 'soaking':
      // Out of the environment's queue, or out of the environment it soaks in: the newer version goes in.
      return done(undefined, [{ type: 'leaveEnvironment', environment: phase.environment }]);
    case 'deploying':
    case 'testing':
      // A step is in flight: the environment stays taken until it reports.
      return done(phase.environment, []);
    case 'waiting':
    case 'blocked':
    case 'awaiting_approval':
    case 'rejected':
    case 'approval_expired':
      return done(undefined, []);
    default:
      return refuse(`${p.artifact.version} cannot be superseded: it is ${phaseInWords(phase, ctx.service)}`);
  }
}
