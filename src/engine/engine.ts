import { advance } from '../domain/advance.js';
import { auditOf } from '../domain/audit.js';
import { releasedByUnhold } from '../domain/command-rules.js';
import { entryRefusal, heldAgain, heldNow, supersededBy } from '../domain/entering.js';
import type { Effect, PromotionEvent, Transition } from '../domain/events.js';
import type { Pipeline, Service, Step } from '../domain/pipeline.js';
import type { Hold, Promotion } from '../domain/promotion.js';
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
  Snapshot,
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
  | {
      readonly ok: true;
      readonly promotion: Promotion;
      /**
       * The state the commit left (not a dry run's): a caller that moves the promotion again decides on it rather
       * than read it afresh; should it be out of date by then, the compare-and-set says so and the engine reads.
       */
      readonly committed?: Snapshot;
    }
  | { readonly ok: false; readonly reason: string };

/** An event without its time: the engine stamps it with its clock. */
export type EventInput = PromotionEvent extends infer E
  ? E extends PromotionEvent
    ? Omit<E, 'at'>
    : never
  : never;

/** What the rest of the program asks of the engine: each use case reads, decides purely, commits, carries out. */
export type Engine = {
  /**
   * Runs the state machine on the promotion and commits the result. `known` is a snapshot the caller has just
   * read: the first try decides on it, so a command reads the promotion once.
   */
  dispatch(promotionId: string, input: EventInput, known?: Snapshot): Promise<Dispatched>;
  /** What `dispatch` would answer, without changing anything. */
  dryRun(promotionId: string, input: EventInput): Promise<Dispatched>;
  /** Carries out what a creation committed to the outbox (and what follows from it). */
  carryOut(created: Snapshot, entries: readonly OutboxEntry[]): Promise<void>;
  /** Places the hold, then stops every promotion it now keeps out (a gate open on production closes). */
  placeHold(service: Service, hold: Hold): Promise<void>;
  /**
   * Lifts the hold (with `placedAt`: only the hold placed then) and lets the promotions it kept out go on;
   * false when there was no such hold.
   */
  liftHold(
    service: Service,
    environment: string | undefined,
    by: string,
    placedAt?: string,
  ): Promise<boolean>;
  /** Finishes effects a crashed process left in the outbox, and wakes promotions stranded in a queue. */
  sweep(olderThanMs: number): Promise<number>;
};

const MAX_CONFLICTS = 50;

/** Who lifts a hold that ran out, in its notice. */
export const HOLD_EXPIRY_ACTOR = 'promotion-bot';

/**
 * Work that follows from a committed effect and concerns a promotion afresh: an event for it, or its entry into an
 * environment. Follow-ups wait in a queue, not on the call stack: one use case finishes before the next begins.
 * `completes` is the outbox entry that asked for it, removed only once the follow-up has been done.
 */
type FollowUp = (
  | { readonly kind: 'event'; readonly promotionId: string; readonly input: EventInput }
  | {
      readonly kind: 'enter';
      readonly promotionId: string;
      /** The service whose environment it is: known even when the promotion is not. */
      readonly service: string;
      readonly environment: number;
      readonly known?: Snapshot;
    }
) & { readonly completes?: PendingEntry };

/** An outbox entry whose follow-ups are still to do: it is removed once all are done, and none failed. */
type PendingEntry = { readonly service: string; readonly entryId: string; left: number; failed: boolean };

/**
 * What one run gathers as it goes: the follow-ups still to do, and the outbox entries done so far by service,
 * removed together before the next follow-up starts or when the run ends (not one round trip per transition).
 */
type Agenda = { readonly followUps: FollowUp[]; readonly done: Map<string, string[]> };

function markDone(agenda: Agenda, service: string, entryIds: readonly string[]): void {
  if (entryIds.length === 0) return;
  const done = agenda.done.get(service);
  if (done) done.push(...entryIds);
  else agenda.done.set(service, [...entryIds]);
}

/**
 * Runs the state machine against Redis: read a snapshot (the promotion with the holds bearing on it), advance,
 * compare-and-set, then carry out the effects the commit put in the outbox. Two processes racing on one promotion
 * cannot both win a revision, and a hold placed while a decision was made makes the decision start again.
 */
export function createEngine(deps: EngineDeps): Engine {
  const { promotions, environments, pipeline, log } = deps;

  function serviceOf(promotion: Promotion): Service | undefined {
    return pipeline.services.get(promotion.artifact.service);
  }

  const now = () => deps.clock.now().toISOString();
  const dueIn = (delayMs: number) => new Date(deps.clock.now().getTime() + delayMs).toISOString();

  function stamp(input: EventInput): PromotionEvent {
    return { ...input, at: now() } as PromotionEvent;
  }

  type Decided =
    | {
        readonly ok: true;
        readonly snapshot: Snapshot;
        readonly service: Service;
        readonly event: PromotionEvent;
        readonly transition: Transition;
      }
    | { readonly ok: false; readonly reason: string };

  async function decide(promotionId: string, input: EventInput, known?: Snapshot): Promise<Decided> {
    const snapshot = known ?? (await promotions.snapshot(promotionId));
    if (!snapshot) return { ok: false, reason: `no promotion ${promotionId}` };
    const service = serviceOf(snapshot.promotion);
    if (!service)
      return {
        ok: false,
        reason: `service ${snapshot.promotion.artifact.service} is not in the pipeline file`,
      };
    const stamped = stamp(input);
    let event: PromotionEvent = stamped;
    if (stamped.type === 'environmentHeld') {
      const hold = heldAgain(snapshot.promotion, service, snapshot.restrictions, stamped);
      if (!hold) return { ok: false, reason: 'nothing holds it there any more' };
      event = { ...stamped, hold };
    }
    const transition = advance(snapshot.promotion, event, service, snapshot.restrictions);
    return { ok: true, snapshot, service, event, transition };
  }

  /**
   * One use case: decide on the snapshot, commit once, carry out the effects; what concerns other promotions (or
   * this one afresh) goes to the agenda's follow-ups. After a lost compare-and-set it reads afresh and decides again.
   */
  async function commitEvent(
    promotionId: string,
    input: EventInput,
    known: Snapshot | undefined,
    agenda: Agenda,
  ): Promise<Dispatched> {
    for (let conflicts = 0; conflicts < MAX_CONFLICTS; conflicts++) {
      const decided = await decide(promotionId, input, conflicts === 0 ? known : undefined);
      if (!decided.ok) return decided;
      const { snapshot, service, event, transition } = decided;
      if (!transition.ok) {
        // Refused on the caller's snapshot: say no only once the newest state says it too.
        if (conflicts === 0 && known && !isCurrent(known, await promotions.snapshot(promotionId))) continue;
        log.debug({ promotionId, event: event.type, reason: transition.reason }, 'event refused');
        return transition;
      }
      const entries = toOutbox(promotionId, snapshot.revision + 1, event.at, transition.effects);
      const next = transition.promotion;
      if (await promotions.commit(snapshot, next, auditOf(event, next), entries)) {
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
        deps.observe?.(snapshot.promotion, event, next);
        const committed: Snapshot = { ...snapshot, promotion: next, revision: snapshot.revision + 1 };
        await carryOutEffects(committed, entries, agenda);
        return { ok: true, promotion: next, committed };
      }
    }
    throw new Error(
      `promotion ${promotionId} is changing too fast to update (${MAX_CONFLICTS} conflicts in a row)`,
    );
  }

  /**
   * Does the first use case, then every follow-up in turn until none is left: a loop, never a recursion. The
   * entries done leave the outbox before the next follow-up starts, and at the end even when something failed.
   * Not later: a follow-up can hand an environment on, and once the next promotion has deployed there, a sweeper
   * that found the earlier entries still in the outbox would record the earlier deployment over the later one.
   * A crash before the removal repeats only effects that nothing after them has built on yet.
   */
  async function run<T>(first: (agenda: Agenda) => Promise<T>): Promise<T> {
    const agenda: Agenda = { followUps: [], done: new Map() };
    try {
      const answer = await first(agenda);
      const { followUps } = agenda;
      for (let work = followUps.shift(); work; work = followUps.shift()) {
        await completeDone(agenda);
        const entry = work.completes;
        try {
          if (work.kind === 'event') await commitEvent(work.promotionId, work.input, undefined, agenda);
          else await enter(work.promotionId, work.service, work.environment, work.known, agenda);
        } catch (error) {
          if (entry) entry.failed = true;
          log.error({ promotionId: work.promotionId, err: error }, 'effect failed; the sweeper retries it');
        }
        if (entry && --entry.left === 0 && !entry.failed) markDone(agenda, entry.service, [entry.entryId]);
      }
      return answer;
    } finally {
      await completeDone(agenda);
    }
  }

  /** Removes the entries the run has done so far from the outbox: one round trip per service. */
  async function completeDone(agenda: Agenda): Promise<void> {
    for (const [service, entryIds] of agenda.done) {
      agenda.done.delete(service);
      await promotions.completeEffects(service, entryIds);
    }
  }

  /**
   * Effects run in order; the first failure leaves it and the rest in the outbox for the sweeper. An effect that
   * hands work to a follow-up stays in the outbox until that follow-up is done.
   */
  async function carryOutEffects(
    promotion: Snapshot,
    entries: readonly OutboxEntry[],
    agenda: Agenda,
  ): Promise<void> {
    const done: string[] = [];
    const { service } = promotion.promotion.artifact;
    try {
      for (const entry of entries) {
        const handed = await execute(promotion, entry.effect);
        if (handed.length === 0) {
          done.push(entry.id);
          continue;
        }
        const pending: PendingEntry = { service, entryId: entry.id, left: handed.length, failed: false };
        for (const work of handed) agenda.followUps.push({ ...work, completes: pending });
      }
    } catch (error) {
      log.error({ promotionId: promotion.promotion.id, err: error }, 'effect failed; the sweeper retries it');
    } finally {
      markDone(agenda, service, done);
    }
  }

  /** Carries out one effect; what must be decided afresh for a promotion comes back as follow-ups. */
  async function execute(snapshot: Snapshot, effect: Effect): Promise<FollowUp[]> {
    const { promotion } = snapshot;
    const service = serviceOf(promotion);
    if (!service) return [];
    const name = (index: number) => service.environments[index]?.name ?? String(index);
    const { id } = promotion;
    switch (effect.type) {
      case 'enterEnvironment':
        return [
          {
            kind: 'enter',
            promotionId: id,
            service: service.name,
            environment: effect.environment,
            known: snapshot,
          },
        ];
      case 'leaveEnvironment': {
        const next = await environments.leave(service.name, name(effect.environment), id);
        return next
          ? [{ kind: 'enter', promotionId: next, service: service.name, environment: effect.environment }]
          : [];
      }
      case 'runStep': {
        const { spec } = planStep(promotion, effect.step, service);
        await deps.scheduler.runStep(
          { promotionId: id, service: service.name, step: effect.step },
          retryOf(spec),
        );
        return [];
      }
      case 'scheduleAnalysis':
        await deps.scheduler.scheduleAnalysis(
          { promotionId: id, service: service.name, analysis: effect.analysis },
          effect.delayMs,
        );
        return [];
      case 'scheduleApprovalExpiry':
        await deps.scheduler.scheduleApprovalExpiry(
          { promotionId: id, service: service.name, requestedAt: effect.requestedAt },
          effect.delayMs,
        );
        return [];
      case 'scheduleInconclusiveDeadline':
        await deps.scheduler.scheduleInconclusiveDeadline(
          { promotionId: id, service: service.name, askedAt: effect.askedAt, dueAt: dueIn(effect.delayMs) },
          effect.delayMs,
        );
        return [];
      case 'scheduleReminder':
        await deps.scheduler.scheduleReminder(
          {
            promotionId: id,
            service: service.name,
            requestedAt: effect.requestedAt,
            reminder: effect.reminder,
            dueAt: dueIn(effect.delayMs),
          },
          effect.delayMs,
        );
        return [];
      case 'scheduleFreezeEnd':
        await deps.scheduler.scheduleFreezeEnd(
          { promotionId: id, service: service.name, environment: effect.environment, endsAt: effect.endsAt },
          Math.max(0, Date.parse(effect.endsAt) - deps.clock.now().getTime()),
        );
        return [];
      case 'scheduleSoakEnd':
        await deps.scheduler.scheduleSoakEnd(
          { promotionId: id, service: service.name, environment: effect.environment, until: effect.until },
          Math.max(0, Date.parse(effect.until) - deps.clock.now().getTime()),
        );
        return [];
      case 'recordDeployment': {
        const { version, digest, commit } = promotion.artifact;
        const color = promotion.stages[effect.environment]?.color;
        const at = now();
        await environments.record(service.name, name(effect.environment), {
          promotionId: id,
          version,
          digest,
          at,
          ...(commit ? { commit } : {}),
          ...(color ? { color } : {}),
        });
        return [];
      }
      case 'revertDeployment':
        await environments.revert(service.name, name(effect.environment), id);
        return [];
      case 'quarantine': {
        // Only the digest: a fixed version goes to the gate as usual, where an approver looks at it.
        const { digest } = promotion.artifact;
        await environments.markBad(service.name, digest, effect.reason);
        // A re-tag of it already at the gate (or on its way in) is stopped there, as a hold would stop it.
        const quarantined = { holds: [], rolledBack: effect.reason };
        return (await promotions.active(service.name)).flatMap((other) => {
          const stopped = other.artifact.digest === digest && heldNow(other, service, quarantined, now());
          return stopped
            ? [
                {
                  kind: 'event',
                  promotionId: other.id,
                  input: { type: 'environmentHeld', ...stopped },
                } as const,
              ]
            : [];
        });
      }
      case 'supersedeOlder':
        return supersededBy(promotion, await promotions.active(promotion.artifact.service)).map((other) => ({
          kind: 'event',
          promotionId: other.id,
          input: { type: 'superseded', by: promotion.artifact.version },
        }));
      case 'notify':
        // The promotion as this transition left it: delivery reads the newest state itself when it sends.
        await deps.notifier.notify(promotion, effect.notice);
        return [];
    }
  }

  /** Takes environment `index` for a promotion that is waiting to enter it, or stops it at a hold. */
  async function enter(
    promotionId: string,
    serviceName: string,
    index: number,
    known: Snapshot | undefined,
    agenda: Agenda,
  ): Promise<void> {
    const snapshot = known ?? (await promotions.snapshot(promotionId));
    if (!snapshot) {
      // A queue entry whose promotion is gone: take it out, or everyone behind it waits for ever.
      const name = pipeline.services.get(serviceName)?.environments[index]?.name;
      const next = name && (await environments.leave(serviceName, name, promotionId));
      if (next)
        agenda.followUps.push({ kind: 'enter', promotionId: next, service: serviceName, environment: index });
      return;
    }
    const service = serviceOf(snapshot.promotion);
    const environment = service?.environments[index];
    if (!service || !environment) return;
    const { phase } = snapshot.promotion;
    if (phase.kind !== 'entering' || phase.environment !== index) {
      // A stale queue entry: make sure it does not block the environment.
      if (!occupies(snapshot.promotion, index, service))
        await environments.leave(service.name, environment.name, promotionId);
      return;
    }
    const hold = entryRefusal(snapshot.promotion, service, index, snapshot.restrictions, now());
    if (hold) {
      const held = await commitEvent(
        promotionId,
        { type: 'environmentHeld', environment: index, hold },
        snapshot,
        agenda,
      );
      // The hold was lifted meanwhile: in it goes, on what it reads afresh.
      if (!held.ok)
        agenda.followUps.push({ kind: 'enter', promotionId, service: serviceName, environment: index });
      return;
    }
    const entered = await environments.enter(service.name, environment.name, promotionId);
    if (!entered) {
      log.info({ promotionId, environment: environment.name }, 'environment busy; queued');
      return;
    }
    const { current } = entered;
    const predecessor = current
      ? {
          version: current.version,
          digest: current.digest,
          ...(current.commit ? { commit: current.commit } : {}),
          ...(current.color ? { color: current.color } : {}),
        }
      : undefined;
    const result = await commitEvent(
      promotionId,
      { type: 'environmentEntered', environment: index, ...(predecessor ? { predecessor } : {}) },
      snapshot,
      agenda,
    );
    if (!result.ok) {
      const latest = await promotions.get(promotionId);
      if (!latest || !occupies(latest.promotion, index, service)) {
        await environments.leave(service.name, environment.name, promotionId);
      }
    }
  }

  async function placeHold(service: Service, hold: Hold): Promise<void> {
    await environments.placeHold(service.name, hold);
    if (hold.until) {
      // Lifted only if it is still this hold then: a newer hold on the same environment stays.
      await deps.scheduler.scheduleHoldExpiry(
        {
          service: service.name,
          ...(hold.environment === undefined ? {} : { environment: hold.environment }),
          placedAt: hold.at,
        },
        Math.max(0, Date.parse(hold.until) - deps.clock.now().getTime()),
      );
    }
    // Read after the hold is in: a promotion that decided without it cannot commit (its holds revision is old).
    await run(async (agenda) => {
      for (const promotion of await promotions.active(service.name)) {
        const snapshot = await promotions.snapshot(promotion.id);
        const stopped = snapshot && heldNow(snapshot.promotion, service, snapshot.restrictions, now());
        if (stopped)
          await commitEvent(promotion.id, { type: 'environmentHeld', ...stopped }, snapshot, agenda);
      }
    });
  }

  async function liftHold(
    service: Service,
    environment: string | undefined,
    by: string,
    placedAt?: string,
  ): Promise<boolean> {
    if (!(await environments.releaseHold(service.name, environment, placedAt))) return false;
    await run(async (agenda) => {
      const released = releasedByUnhold(service, await promotions.active(service.name), environment);
      // Each goes on only where nothing else still holds it: the state machine asks the newest holds.
      for (const { promotionId, environment: index } of released)
        await commitEvent(promotionId, { type: 'holdReleased', environment: index, by }, undefined, agenda);
    });
    return true;
  }

  async function sweep(olderThanMs: number): Promise<number> {
    let done = 0;
    const cutoff = deps.clock.now().getTime() - olderThanMs;
    for (const service of pipeline.services.values()) {
      for (const entry of await promotions.pendingEffects(service.name)) {
        if (Date.parse(entry.at) > cutoff) continue;
        const snapshot = await promotions.snapshot(entry.promotionId);
        if (snapshot) await run((agenda) => carryOutEffects(snapshot, [entry], agenda));
        else await promotions.completeEffects(service.name, [entry.id]);
        done++;
      }
      // A timed hold whose expiry job was never scheduled (a crash right after the hold was written) ends too.
      for (const hold of await environments.holds(service.name)) {
        if (hold.until === undefined || Date.parse(hold.until) > cutoff) continue;
        if (await liftHold(service, hold.environment, HOLD_EXPIRY_ACTOR, hold.at)) done++;
      }
      const names = service.environments.map((environment) => environment.name);
      for (const stranded of await environments.stranded(service.name, names)) {
        await run((agenda) =>
          enter(stranded.promotionId, service.name, names.indexOf(stranded.environment), undefined, agenda),
        );
        done++;
      }
    }
    return done;
  }

  return {
    dispatch: (promotionId, input, known) => run((agenda) => commitEvent(promotionId, input, known, agenda)),
    async dryRun(promotionId, input) {
      const decided = await decide(promotionId, input);
      if (!decided.ok) return decided;
      const { transition } = decided;
      return transition.ok ? { ok: true, promotion: transition.promotion } : transition;
    },
    carryOut: (created, entries) => run((agenda) => carryOutEffects(created, entries, agenda)),
    placeHold,
    liftHold,
    sweep,
  };
}

/** Whether `latest` is still the state `known` was read at (promotion and holds alike). */
function isCurrent(known: Snapshot, latest: Snapshot | undefined): boolean {
  return latest?.revision === known.revision && latest.holdsRevision === known.holdsRevision;
}

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
