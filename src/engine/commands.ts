import { randomBytes } from 'node:crypto';
import { startPromotion } from '../domain/advance.js';
import { type Decider, productionApprovers, refuseNonOwner } from '../domain/approval-policy.js';
import { publishedAudit } from '../domain/audit.js';
import {
  decidedReply,
  describePromotion,
  forcedReply,
  holdLiftedReply,
  holdPlacedReply,
  promotedReply,
} from '../domain/command-replies.js';
import { holdOf, refuseForce, resolveEnvironment, rollbackTargetOf } from '../domain/command-rules.js';
import { refuseUnresolved } from '../domain/group-lookup.js';
import { type Pipeline, productionOf, type Service } from '../domain/pipeline.js';
import type { Artifact, Promotion } from '../domain/promotion.js';
import {
  type PlannedArtifact,
  type PlanResult,
  type PromotionPlan,
  planPromotion,
  type RunningNow,
} from '../domain/promotion-plan.js';
import {
  immutableVersionRefusal,
  removedVersionRefusal,
  unknownServiceRefusal,
} from '../domain/publish-refusals.js';
import {
  planRollback,
  type RollbackDecision,
  type RollbackPlan,
  refuseConfirmation,
  refuseRollbackOf,
} from '../domain/rollback-confirmation.js';
import { isUserGroupId } from '../domain/user-groups.js';
import type { Dispatched, Engine } from './engine.js';
import { toOutbox } from './engine.js';
import {
  type Clock,
  type Deployment,
  type Directory,
  type EnvironmentStore,
  isRemoved,
  type PromotionStore,
} from './ports.js';

/** Holds placed while one publish is being decided, before it gives up. */
const MAX_STALE_PUBLISHES = 20;

export type CommandsDeps = {
  readonly pipeline: Pipeline;
  readonly engine: Engine;
  readonly promotions: PromotionStore;
  readonly environments: EnvironmentStore;
  readonly directory: Directory;
  readonly clock: Clock;
};

export type PublishResult =
  | { readonly kind: 'created' | 'existing'; readonly promotion: Promotion }
  /** The identical artifact again, long after: its promotion was removed by retention. */
  | { readonly kind: 'removed'; readonly promotionId: string }
  | { readonly kind: 'conflict'; readonly message: string }
  | { readonly kind: 'unknown-service'; readonly message: string };

export type Actor = { readonly user: string };

export type CommandResult =
  /** `message`: what the person did, without them ("put shop production on hold: …"); replies name them first. */
  | { readonly ok: true; readonly message: string; readonly promotion?: Promotion }
  | { readonly ok: false; readonly reason: string };

/** What people and CI can ask of the engine: the functions the HTTP API and Slack listeners call. */
export function createCommands(deps: CommandsDeps) {
  const { pipeline, engine, promotions, environments } = deps;

  function serviceNamed(name: string): Service | undefined {
    return pipeline.services.get(name);
  }

  function unknownService(name: string): string {
    return unknownServiceRefusal(pipeline, name);
  }

  /**
   * `user` with the groups of `ids` they are in. Someone named directly needs no lookup; for anyone else a group
   * that could not be read makes `unresolved` the reason to give them (the directory logs it for the operator).
   */
  async function deciderFor(
    user: string,
    ids: readonly string[],
  ): Promise<{ decider: Decider; unresolved?: string }> {
    const groups = ids.filter(isUserGroupId);
    if (ids.includes(user) || groups.length === 0) return { decider: { user, groups: [] } };
    const lookup = await deps.directory.groupsOf(user, groups);
    const decider = { user, groups: lookup.groups };
    const unresolved = refuseUnresolved(ids, decider, lookup.failures);
    return unresolved === undefined ? { decider } : { decider, unresolved };
  }

  async function refuseUnlessOwner(service: Service, actor: Actor): Promise<string | undefined> {
    const { decider, unresolved } = await deciderFor(actor.user, service.owners);
    return unresolved ?? refuseNonOwner(service, decider);
  }

  async function publish(
    artifact: Artifact,
    by: string,
    options: { forcedBy?: string } = {},
  ): Promise<PublishResult> {
    const service = serviceNamed(artifact.service);
    if (!service) return { kind: 'unknown-service', message: unknownService(artifact.service) };
    const forced = options.forcedBy === undefined ? {} : { forcedBy: options.forcedBy };
    // Decided on the service's holds as read; a hold placed before it is written makes it decide again.
    for (let attempt = 0; attempt < MAX_STALE_PUBLISHES; attempt++) {
      const read = await environments.restrictions(service.name, artifact.digest);
      const at = deps.clock.now().toISOString();
      const id = randomBytes(9).toString('base64url');
      const started = startPromotion({
        id,
        artifact,
        service,
        by,
        at,
        restrictions: read.restrictions,
        ...forced,
      });
      const entries = toOutbox(id, 0, at, started.effects);
      const result = await promotions.create(started.promotion, publishedAudit(started.promotion), entries, {
        replace: options.forcedBy !== undefined,
        holdsRevision: read.holdsRevision,
      });
      if (result.kind === 'stale') continue;
      if (result.kind === 'conflict') {
        return { kind: 'conflict', message: immutableVersionRefusal(artifact, result) };
      }
      if (result.kind === 'created')
        await engine.carryOut({ promotion: result.promotion, revision: 0, ...read }, entries);
      return result;
    }
    throw new Error(`the holds of ${service.name} are changing too fast to publish ${artifact.version}`);
  }

  /**
   * A dry run of publishing `artifact` (without a digest: of its version as published): the plan, read in one
   * round trip (two when the version has a promotion to describe). Writes nothing, queues nothing, says nothing.
   */
  async function plan(artifact: PlannedArtifact, options: { forcedBy?: string } = {}): Promise<PlanResult> {
    const service = serviceNamed(artifact.service);
    if (!service) return { kind: 'unknown-service', message: unknownService(artifact.service) };
    const read = await environments.outlook(
      service.name,
      service.environments.map((environment) => environment.name),
      artifact.version,
      artifact.digest,
    );
    const promotion = read.published && (await promotions.get(read.published.promotionId))?.promotion;
    return planPromotion({
      pipeline,
      artifact,
      ...(read.published ? { published: { ...read.published, ...(promotion ? { promotion } : {}) } } : {}),
      restrictions: read.restrictions,
      running: read.running.map((deployment) => deployment && toRunningNow(deployment)),
      ...(options.forcedBy === undefined ? {} : { forcedBy: options.forcedBy }),
      at: deps.clock.now(),
    });
  }

  /**
   * `/promote … --dry-run`: the plan of the version as published. With `--force`, it is refused for the reasons the
   * forced promotion would be, and otherwise planned as forced (its quarantine lifted).
   */
  async function planPromote(
    serviceName: string,
    version: string,
    options: Actor & { force?: boolean },
  ): Promise<{ ok: true; plan: PromotionPlan } | { ok: false; reason: string }> {
    const service = serviceNamed(serviceName);
    if (!service) return { ok: false, reason: unknownService(serviceName) };
    if (options.force) {
      const promotion = await promotions.findByVersion(service.name, version);
      const approvers = productionApprovers(service);
      const { decider, unresolved } = await deciderFor(options.user, approvers);
      const refusal =
        unresolved ??
        (promotion === undefined
          ? `${service.name} has no published version "${version}" to force`
          : isRemoved(promotion)
            ? removedVersionRefusal({ service: service.name, version }, promotion)
            : refuseForce(service, promotion, decider));
      if (refusal) return { ok: false, reason: refusal };
    }
    const planned = await plan(
      { service: service.name, version },
      options.force ? { forcedBy: options.user } : {},
    );
    return planned.kind === 'plan'
      ? { ok: true, plan: planned.plan }
      : { ok: false, reason: planned.message };
  }

  async function promote(
    serviceName: string,
    version: string,
    options: Actor & { to?: string; force?: boolean },
  ): Promise<CommandResult> {
    const service = serviceNamed(serviceName);
    if (!service) return { ok: false, reason: unknownService(serviceName) };
    const refusal = await refuseUnlessOwner(service, options);
    if (refusal) return { ok: false, reason: refusal };
    const promotion = await promotions.findByVersion(service.name, version);
    if (!promotion) {
      // A forced re-promotion is a second promotion of the same version: name each version once.
      const known = [...new Set((await promotions.list(service.name, 10)).map((p) => p.artifact.version))];
      return {
        ok: false,
        reason: `${service.name} has no published version "${version}"${known.length ? ` (latest: ${known.slice(0, 5).join(', ')})` : ''}`,
      };
    }
    if (isRemoved(promotion))
      return { ok: false, reason: removedVersionRefusal({ service: service.name, version }, promotion) };
    if (options.force) return forcePromote(service, promotion, options);
    const to = options.to === undefined ? {} : { to: options.to };
    return described(
      await engine.dispatch(promotion.id, { type: 'promoteRequested', by: options.user, ...to }),
      promotedReply,
    );
  }

  /**
   * The explicit way back for an artifact that was rolled back (or failed): an approver starts it again from the
   * first environment, and its digest is no longer refused in production.
   */
  async function forcePromote(service: Service, promotion: Promotion, actor: Actor): Promise<CommandResult> {
    const approvers = productionApprovers(service);
    const { decider, unresolved } = await deciderFor(actor.user, approvers);
    const refusal = unresolved ?? refuseForce(service, promotion, decider);
    if (refusal) return { ok: false, reason: refusal };
    await environments.clearBad(service.name, promotion.artifact.digest);
    const result = await publish(promotion.artifact, actor.user, { forcedBy: actor.user });
    if (result.kind !== 'created')
      return {
        ok: false,
        reason:
          'message' in result ? result.message : `${promotion.artifact.version} is already being promoted`,
      };
    return {
      ok: true,
      message: forcedReply(result.promotion, service),
      promotion: result.promotion,
    };
  }

  async function decisionEvent(
    promotionId: string,
    decision: 'approve' | 'reject',
    options: Actor & { reason?: string; requestedAt?: string },
  ) {
    const stored = await promotions.snapshot(promotionId);
    const service = stored && serviceNamed(stored.promotion.artifact.service);
    if (!stored || !service) return { refusal: `no promotion ${promotionId}` };
    const approvers = productionApprovers(service);
    const { decider, unresolved } = await deciderFor(options.user, approvers);
    if (unresolved) return { refusal: unresolved };
    const reason = options.reason === undefined ? {} : { reason: options.reason };
    const request = options.requestedAt === undefined ? {} : { requestedAt: options.requestedAt };
    return {
      stored,
      event: {
        type: 'approvalDecided',
        by: options.user,
        byGroups: decider.groups,
        decision,
        ...reason,
        ...request,
      },
    } as const;
  }

  /** `requestedAt`: the request the click answers, when the button says (a gate asked again is another one). */
  async function decide(
    promotionId: string,
    decision: 'approve' | 'reject',
    options: Actor & { reason?: string; requestedAt?: string },
  ): Promise<CommandResult> {
    const found = await decisionEvent(promotionId, decision, options);
    if ('refusal' in found) return { ok: false, reason: found.refusal };
    return described(await engine.dispatch(promotionId, found.event, found.stored), (promotion, service) =>
      decidedReply(promotion, service, decision),
    );
  }

  /** The service an owner names, and the environment if they name one (holds: none means every one). */
  async function ownedTarget(
    serviceName: string,
    environment: string | undefined,
    actor: Actor,
  ): Promise<{ ok: true; service: Service } | { ok: false; reason: string }> {
    const service = serviceNamed(serviceName);
    if (!service) return { ok: false, reason: unknownService(serviceName) };
    const refusal = await refuseUnlessOwner(service, actor);
    if (refusal) return { ok: false, reason: refusal };
    const named = environment === undefined ? undefined : resolveEnvironment(service, environment);
    if (named && 'refusal' in named) return { ok: false, reason: named.refusal };
    return { ok: true, service };
  }

  async function hold(
    serviceName: string,
    environment: string | undefined,
    reason: string,
    actor: Actor & { forMs?: number },
  ): Promise<CommandResult> {
    const target = await ownedTarget(serviceName, environment, actor);
    if (!target.ok) return target;
    const { service } = target;
    const now = deps.clock.now();
    const hold = holdOf({
      environment,
      reason,
      by: actor.user,
      now,
      ...(actor.forMs ? { forMs: actor.forMs } : {}),
    });
    await engine.placeHold(service, hold);
    return { ok: true, message: holdPlacedReply(service.name, hold) };
  }

  async function unhold(
    serviceName: string,
    environment: string | undefined,
    actor: Actor,
  ): Promise<CommandResult> {
    const target = await ownedTarget(serviceName, environment, actor);
    if (!target.ok) return target;
    const { service } = target;
    if (!(await engine.liftHold(service, environment, actor.user))) {
      return { ok: false, reason: `${service.name} ${environment ?? '(every environment)'} is not on hold` };
    }
    return {
      ok: true,
      message: holdLiftedReply(service.name, environment),
    };
  }

  /**
   * The first half of a manual rollback: what it would do now (for the person to confirm), or why it cannot.
   * Changes nothing; asking twice (a replayed request) only asks twice.
   */
  async function askRollback(
    serviceName: string,
    environment: string | undefined,
    actor: Actor,
  ): Promise<RollbackDecision> {
    const service = serviceNamed(serviceName);
    if (!service) return { ok: false, reason: unknownService(serviceName) };
    const refusal = (await refuseUnlessOwner(service, actor)) ?? refuseRollbackOf(service, environment);
    if (refusal) return { ok: false, reason: refusal };
    return planRollback(service, await rollbackTarget(service));
  }

  /**
   * The second half: rolls back only if `confirmed` is still exactly what a rollback would do, so a stale or
   * repeated confirmation does nothing. Two at once: the promotion's compare-and-set lets one through.
   */
  async function confirmRollback(
    confirmed: RollbackPlan,
    actor: Actor & { reason?: string },
  ): Promise<CommandResult> {
    const service = serviceNamed(confirmed.service);
    if (!service) return { ok: false, reason: unknownService(confirmed.service) };
    const refusal =
      (await refuseUnlessOwner(service, actor)) ??
      refuseConfirmation(confirmed, planRollback(service, await rollbackTarget(service)));
    if (refusal) return { ok: false, reason: refusal };
    const reason = actor.reason === undefined ? {} : { reason: actor.reason };
    const result = await engine.dispatch(confirmed.promotionId, {
      type: 'rollbackRequested',
      by: actor.user,
      ...reason,
    });
    if (!result.ok) return { ok: false, reason: `this confirmation is out of date: ${result.reason}` };
    return {
      ok: true,
      message: `is rolling back ${service.name} ${confirmed.environment} from ${confirmed.from} to ${confirmed.to}`,
      promotion: result.promotion,
    };
  }

  /** The promotion rolling out now, else the release running in production. */
  async function rollbackTarget(service: Service): Promise<Promotion | undefined> {
    const active = await promotions.active(service.name);
    const current = await environments.current(service.name, productionOf(service).name);
    const running = current ? (await promotions.get(current.promotionId))?.promotion : undefined;
    return rollbackTargetOf(active, running);
  }

  function describe(promotion: Promotion): string {
    return describePromotion(promotion, serviceNamed(promotion.artifact.service));
  }

  /** A command's answer: what the person did (see command-replies), or why nothing happened. */
  function described(
    result: Dispatched,
    reply: (promotion: Promotion, service: Service) => string,
  ): CommandResult {
    if (!result.ok) return result;
    const service = serviceNamed(result.promotion.artifact.service);
    if (!service) return { ok: false, reason: unknownService(result.promotion.artifact.service) };
    return { ok: true, message: reply(result.promotion, service), promotion: result.promotion };
  }

  /** An approver's answer to the question about missing data asked at `askedAt`. */
  async function decideInconclusive(
    promotionId: string,
    askedAt: string,
    decision: 'continue' | 'rollback',
    actor: Actor,
  ): Promise<CommandResult> {
    const stored = await promotions.snapshot(promotionId);
    const service = stored && serviceNamed(stored.promotion.artifact.service);
    if (!stored || !service) return { ok: false, reason: `no promotion ${promotionId}` };
    const approvers = productionApprovers(service);
    const { decider, unresolved } = await deciderFor(actor.user, approvers);
    if (unresolved) return { ok: false, reason: unresolved };
    const result = await engine.dispatch(
      promotionId,
      { type: 'inconclusiveDecided', askedAt, by: actor.user, byGroups: decider.groups, decision },
      stored,
    );
    if (!result.ok) return result;
    return {
      ok: true,
      message: `${decision === 'continue' ? 'let' : 'is rolling back'} ${service.name} ${result.promotion.artifact.version}${decision === 'continue' ? ' go on without the missing data' : ''}`,
      promotion: result.promotion,
    };
  }

  return {
    publish,
    plan,
    planPromote,
    promote,
    decide,
    decideInconclusive,
    hold,
    unhold,
    askRollback,
    confirmRollback,
    describe,
  };
}

export type Commands = ReturnType<typeof createCommands>;

function toRunningNow(deployment: Deployment): RunningNow {
  const { version, digest, promotionId, at, color } = deployment;
  return { version, digest, promotionId, since: at, ...(color ? { color } : {}) };
}
