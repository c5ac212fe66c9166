import { entryRefusal } from './entering.js';
import type { Effect, StepRef, Transition } from './events.js';
import { phaseInWords, utcMinute } from './phase-words.js';
import { productionIndex, type Service } from './pipeline.js';
import type { Color, Hold, Promotion } from './promotion.js';
import { recoveryAdvice } from './recovery.js';
import { idleColor } from './rollout-plan.js';
import { setStageStatus, updateStage } from './stages.js';
import { requestApproval } from './transition-gate.js';
import {
  type Ctx,
  type Event,
  environmentAt,
  isProductionIndex,
  type Moved,
  moved,
  nameOf,
  notice,
  refuse,
} from './transition-kit.js';
import { startRolloutStep } from './transition-rollout.js';

// Entering and leaving environments, holds, and the manual promote between them.

export function onEnvironmentEntered(p: Promotion, e: Event<'environmentEntered'>, ctx: Ctx): Transition {
  if (p.phase.kind !== 'entering' || p.phase.environment !== e.environment) {
    return refuse(`${p.artifact.version} is not waiting to enter environment ${e.environment}`);
  }
  // A hold placed after the engine looked, but before the entry committed: the environment is given back.
  const hold = entryRefusal(p, ctx.service, e.environment, ctx.restrictions, ctx.at);
  if (hold)
    return blockAt(p, e.environment, hold, ctx, [{ type: 'leaveEnvironment', environment: e.environment }]);
  const color: Color | undefined = isProductionIndex(ctx.service, e.environment)
    ? idleColor(e.predecessor?.color)
    : undefined;
  const entered = updateStage(p, e.environment, (stage) => ({
    ...setStageStatus('running', ctx.at)(stage),
    ...(e.predecessor ? { predecessor: e.predecessor } : {}),
    ...(color && environmentAt(ctx.service, e.environment).deploy.strategy === 'blue-green' ? { color } : {}),
  }));
  const started = notice({ kind: 'stage_started', environment: nameOf(ctx.service, e.environment) });
  if (isProductionIndex(ctx.service, e.environment)) {
    return startRolloutStep(entered, 0, ctx, [started]);
  }
  const step: StepRef = { kind: 'deploy', environment: e.environment, rolloutStep: 0 };
  return moved(entered, { kind: 'deploying', environment: e.environment }, [
    started,
    { type: 'runStep', step },
  ]);
}

/**
 * A hold (or quarantine) stops a promotion that is waiting to enter the environment, or, for production, one
 * whose gate is open: the gate closes, and the approval is asked again once the hold is lifted.
 */
export function onEnvironmentHeld(p: Promotion, e: Event<'environmentHeld'>, ctx: Ctx): Transition {
  const atGate = p.phase.kind === 'awaiting_approval' && isProductionIndex(ctx.service, e.environment);
  const entering = p.phase.kind === 'entering' && p.phase.environment === e.environment;
  if (!atGate && !entering) {
    return refuse(`${p.artifact.version} is not waiting to enter ${nameOf(ctx.service, e.environment)}`);
  }
  // Waiting in the environment's queue is over: it no longer blocks the next in line.
  const leave: Effect[] = entering ? [{ type: 'leaveEnvironment', environment: e.environment }] : [];
  return blockAt(p, e.environment, e.hold, ctx, leave);
}

function blockAt(p: Promotion, environment: number, hold: Hold, ctx: Ctx, effects: readonly Effect[]): Moved {
  const held = updateStage(p, environment, setStageStatus('held', ctx.at));
  // A freeze lifts itself: wake the promotion when the window ends.
  const wake: Effect[] =
    hold.freeze && hold.until ? [{ type: 'scheduleFreezeEnd', environment, endsAt: hold.until }] : [];
  return moved(held, { kind: 'blocked', environment, hold }, [
    ...effects,
    ...wake,
    notice({ kind: 'held', environment: nameOf(ctx.service, environment), by: hold.by, reason: hold.reason }),
  ]);
}

/** The hold is lifted: on into the environment, or for production back to its gate, where approval is asked afresh. */
export function onHoldReleased(p: Promotion, e: Event<'holdReleased'>, ctx: Ctx): Transition {
  if (p.phase.kind !== 'blocked' || p.phase.environment !== e.environment) {
    return refuse(`${p.artifact.version} is not held at ${nameOf(ctx.service, e.environment)}`);
  }
  const still = entryRefusal(p, ctx.service, e.environment, ctx.restrictions, ctx.at);
  // Another hold still covers it: it waits on, naming the hold that keeps it now, not the one just lifted.
  if (still && !sameHold(still, p.phase.hold)) return blockAt(p, e.environment, still, ctx, []);
  if (still) {
    return refuse(
      `${ctx.service.name} ${nameOf(ctx.service, e.environment)} is still on hold (${still.reason})`,
    );
  }
  const released = notice({
    kind: 'hold_released',
    environment: nameOf(ctx.service, e.environment),
    by: e.by,
  });
  return goOnFrom(p, e.environment, ctx, released);
}

function sameHold(a: Hold, b: Hold): boolean {
  return a.by === b.by && a.reason === b.reason && a.until === b.until && a.environment === b.environment;
}

/** The freeze that held it ended: on, as after a lifted hold, or behind whatever holds it now (another window). */
export function onFreezeEnded(p: Promotion, e: Event<'freezeEnded'>, ctx: Ctx): Transition {
  const { phase } = p;
  if (phase.kind !== 'blocked' || phase.environment !== e.environment || phase.hold.until !== e.endsAt) {
    return refuse(`${p.artifact.version} is not waiting for that freeze window to end`);
  }
  const still = entryRefusal(p, ctx.service, e.environment, ctx.restrictions, ctx.at);
  if (still) return blockAt(p, e.environment, still, ctx, []);
  const ended = notice({
    kind: 'hold_released',
    environment: nameOf(ctx.service, e.environment),
    by: phase.hold.by,
    reason: `freeze window "${phase.hold.freeze ?? phase.hold.reason}" ended`,
  });
  return goOnFrom(p, e.environment, ctx, ended);
}

function goOnFrom(p: Promotion, environment: number, ctx: Ctx, released: Effect): Moved {
  const pending = updateStage(p, environment, setStageStatus('pending', ctx.at));
  if (isProductionIndex(ctx.service, environment)) {
    // An approval given before the hold is not one given for what production looks like now.
    return requestApproval({ ...pending, approvals: [] }, ctx, [released], p.createdBy);
  }
  return moved(pending, { kind: 'entering', environment }, [
    released,
    { type: 'enterEnvironment', environment },
  ]);
}

/** Leaves a passed environment: on to the next one, to a manual promote, or to the production gate. */
export function passEnvironment(p: Promotion, environment: number, ctx: Ctx): Transition {
  const passed = updateStage(p, environment, setStageStatus('passed', ctx.at));
  const effects: Effect[] = [
    { type: 'leaveEnvironment', environment },
    notice({ kind: 'stage_passed', environment: nameOf(ctx.service, environment) }),
  ];
  if (environmentAt(ctx.service, environment).promote === 'manual') {
    return moved(passed, { kind: 'waiting', environment }, [
      ...effects,
      notice({ kind: 'waiting', environment: nameOf(ctx.service, environment) }),
    ]);
  }
  return goTo(passed, environment + 1, ctx, effects, p.createdBy);
}

/**
 * `by` asked for the move; at the production gate they count as the promotion's requester. A hold on the
 * environment stops the promotion before it: for production, before its gate, so no approval is asked for.
 */
export function goTo(
  p: Promotion,
  environment: number,
  ctx: Ctx,
  effects: readonly Effect[],
  by: string,
): Moved {
  const hold = entryRefusal(p, ctx.service, environment, ctx.restrictions, ctx.at);
  if (hold) return blockAt(p, environment, hold, ctx, effects);
  if (isProductionIndex(ctx.service, environment)) return requestApproval(p, ctx, effects, by);
  return moved(p, { kind: 'entering', environment }, [...effects, { type: 'enterEnvironment', environment }]);
}

export function onPromoteRequested(p: Promotion, e: Event<'promoteRequested'>, ctx: Ctx): Transition {
  const phase = p.phase;
  if (phase.kind === 'rejected' || phase.kind === 'approval_expired') {
    const refusal = refuseTarget(p, productionIndex(ctx.service), e.to, ctx.service);
    return refusal
      ? refuse(refusal)
      : goTo({ ...p, approvals: [] }, productionIndex(ctx.service), ctx, [], e.by);
  }
  if (phase.kind !== 'waiting') return refuse(whyNotPromotable(p, ctx.service));
  const target = phase.environment + 1;
  const refusal = refuseTarget(p, target, e.to, ctx.service);
  if (refusal) return refuse(refusal);
  return goTo(p, target, ctx, [], e.by);
}

function refuseTarget(
  p: Promotion,
  target: number,
  to: string | undefined,
  service: Service,
): string | undefined {
  if (to === undefined || to === nameOf(service, target)) return undefined;
  const names = service.environments.map((environment) => environment.name);
  if (!names.includes(to))
    return `${service.name} has no environment "${to}" (environments: ${names.join(', ')})`;
  return `${p.artifact.version} goes to ${nameOf(service, target)} next; environments are promoted in order (${names.join(' -> ')})`;
}

function whyNotPromotable(p: Promotion, service: Service): string {
  const phase = p.phase;
  switch (phase.kind) {
    case 'awaiting_approval':
      return `${p.artifact.version} is waiting for approval: use the Approve button on the gate message`;
    case 'soaking':
      return `${p.artifact.version} soaks in ${nameOf(service, phase.environment)} until ${utcMinute(phase.until)}, then moves on by itself`;
    case 'blocked':
      return `${service.name} ${nameOf(service, phase.environment)} is on hold (${phase.hold.reason}): /unhold it first`;
    case 'rolled_back':
      return `${service.name} ${p.artifact.version} was rolled back: ${recoveryAdvice(service, p.artifact.version)}`;
    default:
      return `${p.artifact.version} is ${phaseInWords(phase, service)}, not waiting for a promote`;
  }
}
