import { advance } from '../domain/advance.js';
import { auditOf } from '../domain/audit.js';
import { entryRefusal, supersededBy } from '../domain/entering.js';
import type { Effect, PromotionEvent, Transition } from '../domain/events.js';
import { type Pipeline, productionIndex, type Service, type Step } from '../domain/pipeline.js';
import type { Promotion } from '../domain/promotion.js';
import { environmentOf, occupies, statusOf } from '../domain/promotion-view.js';
import { planStep } from '../domain/step-plan.js';
import type { Logger } from '../logger.js';
import type {
  Clock,
  EnvironmentStore,
  JobScheduler,
  Notifier,
  OutboxEntry,
  PromotionStore,
  StoredPromotion,
} from './ports.js';

export type EngineDeps = {
  readonly pipeline: Pipeline;
  readonly promotions: PromotionStore;
  readonly environments: EnvironmentStore;
  readonly scheduler: JobScheduler;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly log: Logger;
  /** Told of every committed transition (metrics). */
  readonly observe?: (before: Promotion, event: PromotionEvent, after: Promotion) => void;
};

export type Dispatched =
  | { readonly ok: true; readonly promotion: Promotion }
  | { readonly ok: false; readonly reason: string };

/** An event without its time: the engine stamps it with its clock. */
export type EventInput = PromotionEvent extends infer E
  ? E extends PromotionEvent
    ? Omit<E, 'at'>
    : never
  : never;

const MAX_CONFLICTS = 50;

/**
 * Runs the state machine against Redis: load, advance, compare-and-set, then carry out the effects that the
 * commit put in the outbox. Two processes racing on one promotion cannot both win a revision.
 */
export function createEngine(deps: EngineDeps) {
  const { promotions, environments, pipeline, log } = deps;

  function serviceOf(promotion: Promotion): Service | undefined {
    return pipeline.services.get(promotion.artifact.service);
  }

  type Attempt =
    | {
        readonly ok: true;
        readonly stored: StoredPromotion;
        readonly service: Service;
        readonly event: PromotionEvent;
        readonly transition: Transition;
      }
    | { readonly ok: false; readonly reason: string };

  /** Reads the promotion and runs the state machine on it, stamping the event with the clock. */
  async function attempt(promotionId: string, input: EventInput, known?: StoredPromotion): Promise<Attempt> {
    const stored = known ?? (await promotions.get(promotionId));
    if (!stored) return { ok: false, reason: `no promotion ${promotionId}` };
    const service = serviceOf(stored.promotion);
    if (!service)
      return {
        ok: false,
        reason: `service ${stored.promotion.artifact.service} is not in the pipeline file`,
      };
    const event = { ...input, at: deps.clock.now().toISOString() } as PromotionEvent;
    return { ok: true, stored, service, event, transition: advance(stored.promotion, event, service) };
  }

  /**
   * Runs the state machine on the promotion and commits the result. `known` is a snapshot the caller has just
   * read: the first try decides on it (the commit's compare-and-set refuses it if it is stale), so a command
   * reads the promotion once; after a conflict each try reads afresh.
   */
  async function dispatch(
    promotionId: string,
    input: EventInput,
    known?: StoredPromotion,
  ): Promise<Dispatched> {
    for (let conflicts = 0; conflicts < MAX_CONFLICTS; conflicts++) {
      const tried = await attempt(promotionId, input, conflicts === 0 ? known : undefined);
      if (!tried.ok) return tried;
      const { stored, service, event, transition } = tried;
      if (!transition.ok) {
        // Refused on the caller's snapshot: say no only once the newest state says it too.
        if (conflicts === 0 && known && (await promotions.get(promotionId))?.revision !== known.revision)
          continue;
        log.debug({ promotionId, event: event.type, reason: transition.reason }, 'event refused');
        return transition;
      }
      const entries = toOutbox(promotionId, stored.revision + 1, event.at, transition.effects);
      const next = transition.promotion;
      if (await promotions.commit(stored, next, auditOf(event, next), entries)) {
        log.info(
          {
            promotionId,
            service: service.name,
            version: next.artifact.version,
            environment: environmentOf(next, service),
            event: event.type,
            status: statusOf(next.phase),
            phase: next.phase.kind,
          },
          'promotion moved',
        );
        deps.observe?.(stored.promotion, event, next);
        await carryOut(next, entries);
        return { ok: true, promotion: next };
      }
    }
    throw new Error(
      `promotion ${promotionId} is changing too fast to update (${MAX_CONFLICTS} conflicts in a row)`,
    );
  }

  /** What `dispatch` would answer, without changing anything: the core is pure, so a dry run is free. */
  async function dryRun(promotionId: string, input: EventInput): Promise<Dispatched> {
    const tried = await attempt(promotionId, input);
    if (!tried.ok) return tried;
    const { transition } = tried;
    return transition.ok ? { ok: true, promotion: transition.promotion } : transition;
  }

  /** Effects run in order; the first failure leaves it and the rest in the outbox for the sweeper. */
  async function carryOut(promotion: Promotion, entries: readonly OutboxEntry[]): Promise<void> {
    const done: string[] = [];
    try {
      for (const entry of entries) {
        await execute(promotion, entry.effect);
        done.push(entry.id);
      }
    } catch (error) {
      log.error({ promotionId: promotion.id, err: error }, 'effect failed; the sweeper retries it');
    } finally {
      // One round trip for all that went out; a crash before it only repeats idempotent effects.
      await promotions.completeEffects(promotion.artifact.service, done);
    }
  }

  async function execute(promotion: Promotion, effect: Effect): Promise<void> {
    const service = serviceOf(promotion);
    if (!service) return;
    const name = (index: number) => service.environments[index]?.name ?? String(index);
    const { id } = promotion;
    switch (effect.type) {
      case 'enterEnvironment':
        return enter(id, effect.environment);
      case 'leaveEnvironment': {
        const next = await environments.leave(service.name, name(effect.environment), id);
        if (next) await enter(next, effect.environment);
        return;
      }
      case 'runStep': {
        const { spec } = planStep(promotion, effect.step, service);
        return deps.scheduler.runStep(
          { promotionId: id, service: service.name, step: effect.step },
          retryOf(spec),
        );
      }
      case 'scheduleAnalysis':
        return deps.scheduler.scheduleAnalysis(
          { promotionId: id, service: service.name, analysis: effect.analysis },
          effect.delayMs,
        );
      case 'scheduleApprovalExpiry':
        return deps.scheduler.scheduleApprovalExpiry(
          { promotionId: id, service: service.name, requestedAt: effect.requestedAt },
          effect.delayMs,
        );
      case 'recordDeployment': {
        const { version, digest } = promotion.artifact;
        const color = promotion.stages[effect.environment]?.color;
        const at = deps.clock.now().toISOString();
        return environments.record(service.name, name(effect.environment), {
          promotionId: id,
          version,
          digest,
          at,
          ...(color ? { color } : {}),
        });
      }
      case 'revertDeployment':
        return environments.revert(service.name, name(effect.environment), id);
      case 'quarantine': {
        const at = deps.clock.now().toISOString();
        await environments.placeHold(service.name, {
          environment: name(effect.environment),
          reason: effect.reason,
          by: 'promotion-bot',
          at,
        });
        return environments.markBad(service.name, promotion.artifact.digest, effect.reason);
      }
      case 'supersedeOlder':
        return supersedeOlder(promotion);
      case 'notify':
        // The promotion as this transition left it: delivery reads the newest state itself when it sends.
        return deps.notifier.notify(promotion, effect.notice);
    }
  }

  /** Takes environment `index` for a promotion that is waiting to enter it, or checks its hold. */
  async function enter(promotionId: string, index: number): Promise<void> {
    const stored = await promotions.get(promotionId);
    const service = stored && serviceOf(stored.promotion);
    const environment = service?.environments[index];
    if (!stored || !service || !environment) return;
    const { phase } = stored.promotion;
    if (phase.kind !== 'entering' || phase.environment !== index) {
      // A stale queue entry: make sure it does not block the environment.
      if (!occupies(stored.promotion, index, service))
        await environments.leave(service.name, environment.name, promotionId);
      return;
    }
    const hold = entryRefusal(stored.promotion, service, index, {
      hold: await environments.hold(service.name, environment.name),
      // Only production refuses a rolled-back digest: elsewhere there is nothing to read.
      badReason:
        index === productionIndex(service)
          ? await environments.badReason(service.name, stored.promotion.artifact.digest)
          : undefined,
      at: deps.clock.now().toISOString(),
    });
    if (hold) {
      await dispatch(promotionId, { type: 'environmentHeld', environment: index, hold });
      return;
    }
    if (!(await environments.enter(service.name, environment.name, promotionId))) {
      log.info({ promotionId, environment: environment.name }, 'environment busy; queued');
      return;
    }
    const current = await environments.current(service.name, environment.name);
    const predecessor = current
      ? {
          version: current.version,
          digest: current.digest,
          ...(current.color ? { color: current.color } : {}),
        }
      : undefined;
    const result = await dispatch(promotionId, {
      type: 'environmentEntered',
      environment: index,
      ...(predecessor ? { predecessor } : {}),
    });
    if (!result.ok) {
      const latest = await promotions.get(promotionId);
      if (!latest || !occupies(latest.promotion, index, service)) {
        await environments.leave(service.name, environment.name, promotionId);
      }
    }
  }

  async function supersedeOlder(promotion: Promotion): Promise<void> {
    for (const other of supersededBy(promotion, await promotions.active(promotion.artifact.service))) {
      await dispatch(other.id, { type: 'superseded', by: promotion.artifact.version });
    }
  }

  /** Finishes effects a crashed process left in the outbox, and wakes promotions stranded in a queue. */
  async function sweep(olderThanMs: number): Promise<number> {
    let done = 0;
    const cutoff = deps.clock.now().getTime() - olderThanMs;
    for (const service of pipeline.services.values()) {
      for (const entry of await promotions.pendingEffects(service.name)) {
        if (Date.parse(entry.at) > cutoff) continue;
        const stored = await promotions.get(entry.promotionId);
        if (stored) await carryOut(stored.promotion, [entry]);
        else await promotions.completeEffects(service.name, [entry.id]);
        done++;
      }
      const names = service.environments.map((environment) => environment.name);
      for (const stranded of await environments.stranded(service.name, names)) {
        await enter(stranded.promotionId, names.indexOf(stranded.environment));
        done++;
      }
    }
    return done;
  }

  return { dispatch, dryRun, execute, carryOut, sweep, enter };
}

export type Engine = ReturnType<typeof createEngine>;

export function toOutbox(
  promotionId: string,
  revision: number,
  at: string,
  effects: readonly Effect[],
): OutboxEntry[] {
  return effects.map((effect, index) => ({
    id: `${promotionId}.${revision}.${index}`,
    promotionId,
    at,
    effect,
  }));
}

function retryOf(spec: Step): { attempts: number; backoffMs: number } {
  return { attempts: spec.retries + 1, backoffMs: spec.retryBackoffMs };
}
