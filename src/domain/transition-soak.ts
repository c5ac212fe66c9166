import type { Transition } from './events.js';
import { utcMinute } from './phase-words.js';
import type { Promotion } from './promotion.js';
import { updateStage } from './stages.js';
import { passEnvironment } from './transition-environments.js';
import { type Ctx, type Event, environmentAt, moved, nameOf, notice, refuse } from './transition-kit.js';

// Soak: a promotion stays in an environment at least its `soak` after the tests there passed, keeping the
// environment, before it moves on. A newer version supersedes it as usual and soaks afresh.

/** The environment's tests passed: soak there first when it has a soak, else move on now. */
export function soakOrPass(p: Promotion, environment: number, ctx: Ctx): Transition {
  const soakMs = environmentAt(ctx.service, environment).soakMs ?? 0;
  if (soakMs <= 0) return passEnvironment(p, environment, ctx);
  const until = new Date(Date.parse(ctx.at) + soakMs).toISOString();
  return moved(p, { kind: 'soaking', environment, since: ctx.at, until }, [
    { type: 'scheduleSoakEnd', environment, until },
    notice({ kind: 'soaking', environment: nameOf(ctx.service, environment) }),
  ]);
}

/** The soak is over: the promotion leaves the environment as it would have when its tests passed. */
export function onSoakEnded(p: Promotion, e: Event<'soakEnded'>, ctx: Ctx): Transition {
  const { phase } = p;
  if (phase.kind !== 'soaking' || phase.environment !== e.environment || phase.until !== e.until) {
    return refuse(`${p.artifact.version} is not soaking in environment ${e.environment} until ${e.until}`);
  }
  // A wake-up ahead of its time (another process's clock) must not cut the soak short.
  if (Date.parse(ctx.at) < Date.parse(phase.until)) {
    return refuse(
      `${p.artifact.version} soaks in ${nameOf(ctx.service, e.environment)} until ${utcMinute(phase.until)}`,
    );
  }
  const soakedMs = Date.parse(ctx.at) - Date.parse(phase.since);
  const soaked = updateStage(p, e.environment, (stage) => ({ ...stage, soakedMs }));
  return passEnvironment(soaked, e.environment, ctx);
}
