import { type AnalysisCounters, analysisSchedule, countCheck, decide, judge } from './analysis.js';
import { approvalsOf, refuseDecision } from './approval-policy.js';
import type { Effect, Notice, PromotionEvent, StepRef, StepResult, Transition } from './events.js';
import type { Environment, Service } from './pipeline.js';
import type {
  Artifact,
  Color,
  Measurement,
  Phase,
  Promotion,
  RollbackCause,
  RolloutStage,
} from './promotion.js';
import { expectsStep, isDraining } from './promotion-view.js';
import { idleColor, rolloutPlan } from './rollout-plan.js';
import { finishStep, setStageStatus, startStep, updateStage } from './stages.js';

// The promotion state machine: `advance(promotion, event)` returns the next promotion and the effects the
// engine must carry out, or the reason the event does not apply. No I/O, no clock: time arrives on events.

type Ctx = { readonly service: Service; readonly at: string };

type Event<T extends PromotionEvent['type']> = Extract<PromotionEvent, { type: T }>;

type Moved = Extract<Transition, { ok: true }>;

export function startPromotion(input: {
  readonly id: string;
  readonly artifact: Artifact;
  readonly service: Service;
  readonly by: string;
  readonly at: string;
  readonly forcedBy?: string;
}): { readonly promotion: Promotion; readonly effects: readonly Effect[] } {
  const promotion: Promotion = {
    id: input.id,
    artifact: input.artifact,
    createdBy: input.by,
    ...(input.forcedBy === undefined ? {} : { forcedBy: input.forcedBy }),
    createdAt: input.at,
    updatedAt: input.at,
    phase: { kind: 'entering', environment: 0 },
    stages: input.service.environments.map((environment) => ({
      environment: environment.name,
      status: 'pending',
      steps: [],
    })),
    approvals: [],
  };
  // goTo, not a plain enterEnvironment: when the first environment is production, it is behind the gate too.
  const started = goTo(
    promotion,
    0,
    { service: input.service, at: input.at },
    [{ type: 'supersedeOlder' }, notice({ kind: 'published', by: input.by })],
    input.by,
  );
  return { promotion: started.promotion, effects: started.effects };
}

export function advance(promotion: Promotion, event: PromotionEvent, service: Service): Transition {
  const ctx: Ctx = { service, at: event.at };
  const next = route(promotion, event, ctx);
  if (!next.ok) return next;
  return { ...next, promotion: { ...next.promotion, updatedAt: event.at } };
}

function route(p: Promotion, event: PromotionEvent, ctx: Ctx): Transition {
  switch (event.type) {
    case 'environmentEntered':
      return onEnvironmentEntered(p, event, ctx);
    case 'environmentHeld':
      return onEnvironmentHeld(p, event, ctx);
    case 'holdReleased':
      return onHoldReleased(p, event, ctx);
    case 'stepStarted':
      return onStepStarted(p, event, ctx);
    case 'stepSucceeded':
    case 'stepFailed':
      return onStepFinished(p, event, ctx);
    case 'analysisCompleted':
      return onAnalysisCompleted(p, event, ctx);
    case 'promoteRequested':
      return onPromoteRequested(p, event, ctx);
    case 'approvalDecided':
      return onApprovalDecided(p, event, ctx);
    case 'approvalExpired':
      return onApprovalExpired(p, event, ctx);
    case 'rollbackRequested':
      return onRollbackRequested(p, event, ctx);
    case 'superseded':
      return onSuperseded(p, event, ctx);
  }
}

// ---- environments ------------------------------------------------------------------------------------------

function onEnvironmentEntered(p: Promotion, e: Event<'environmentEntered'>, ctx: Ctx): Transition {
  if (p.phase.kind !== 'entering' || p.phase.environment !== e.environment) {
    return refuse(`${p.artifact.version} is not waiting to enter environment ${e.environment}`);
  }
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

function onEnvironmentHeld(p: Promotion, e: Event<'environmentHeld'>, ctx: Ctx): Transition {
  if (p.phase.kind !== 'entering' || p.phase.environment !== e.environment) {
    return refuse(`${p.artifact.version} is not waiting to enter environment ${e.environment}`);
  }
  const held = updateStage(p, e.environment, setStageStatus('held', ctx.at));
  return moved(held, { kind: 'blocked', environment: e.environment, hold: e.hold }, [
    notice({
      kind: 'held',
      environment: nameOf(ctx.service, e.environment),
      by: e.hold.by,
      reason: e.hold.reason,
    }),
  ]);
}

function onHoldReleased(p: Promotion, e: Event<'holdReleased'>, ctx: Ctx): Transition {
  if (p.phase.kind !== 'blocked' || p.phase.environment !== e.environment) {
    return refuse(`${p.artifact.version} is not held at ${nameOf(ctx.service, e.environment)}`);
  }
  const pending = updateStage(p, e.environment, setStageStatus('pending', ctx.at));
  return moved(pending, { kind: 'entering', environment: e.environment }, [
    notice({ kind: 'hold_released', environment: nameOf(ctx.service, e.environment), by: e.by }),
    { type: 'enterEnvironment', environment: e.environment },
  ]);
}

/** Leaves a passed environment: on to the next one, to a manual promote, or to the production gate. */
function passEnvironment(p: Promotion, environment: number, ctx: Ctx): Transition {
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

/** `by` asked for the move; at the production gate they count as the promotion's requester. */
function goTo(p: Promotion, environment: number, ctx: Ctx, effects: readonly Effect[], by: string): Moved {
  if (isProductionIndex(ctx.service, environment)) return requestApproval(p, ctx, effects, by);
  return moved(p, { kind: 'entering', environment }, [...effects, { type: 'enterEnvironment', environment }]);
}

// ---- steps -------------------------------------------------------------------------------------------------

function onStepStarted(p: Promotion, e: Event<'stepStarted'>, ctx: Ctx): Transition {
  if (!expectsStep(p, e.step)) return refuse(`step ${describeStep(e.step)} is not due`);
  return moved(
    updateStage(p, e.step.environment, startStep(stepName(p, e.step, ctx.service), ctx.at)),
    p.phase,
    [],
  );
}

function onStepFinished(p: Promotion, e: Event<'stepSucceeded' | 'stepFailed'>, ctx: Ctx): Transition {
  if (isDraining(p, e.step) && p.phase.kind === 'superseded') {
    // The environment runs what the in-flight deploy put there, even though this promotion stops here.
    const deployed = e.type === 'stepSucceeded' && e.step.kind === 'deploy';
    return moved(p, { kind: 'superseded', by: p.phase.by }, [
      ...(deployed ? [{ type: 'recordDeployment', environment: e.step.environment } as const] : []),
      { type: 'leaveEnvironment', environment: e.step.environment },
    ]);
  }
  if (!expectsStep(p, e.step)) return refuse(`step ${describeStep(e.step)} is not due`);
  const passed = e.type === 'stepSucceeded';
  const name = stepName(p, e.step, ctx.service);
  const recorded = updateStage(p, e.step.environment, finishStep(name, passed, e.result, ctx.at));
  const finished = notice({
    kind: 'step_finished',
    environment: nameOf(ctx.service, e.step.environment),
    step: name,
    result: e.result,
  });
  if (p.phase.kind === 'rolling_back')
    return finishRollback(recorded, p.phase, passed, e.result, ctx, finished);
  if (p.phase.kind === 'rolling_out') {
    return passed
      ? continueRollout(recorded, p.phase.step, p.phase.stage, ctx, [finished])
      : rollBack(recorded, { kind: 'step-failed', step: name }, false, ctx, [finished]);
  }
  if (!passed) return failIn(recorded, e.step.environment, name, e.result, ctx, finished);
  if (e.step.kind === 'deploy') {
    const effects: Effect[] = [finished, { type: 'recordDeployment', environment: e.step.environment }];
    return testOrPass(recorded, e.step.environment, 0, ctx, effects);
  }
  return testOrPass(recorded, e.step.environment, e.step.kind === 'test' ? e.step.test + 1 : 0, ctx, [
    finished,
  ]);
}

function testOrPass(
  p: Promotion,
  environment: number,
  test: number,
  ctx: Ctx,
  effects: Effect[],
): Transition {
  if (test >= environmentAt(ctx.service, environment).tests.length) {
    return prepend(effects, passEnvironment(p, environment, ctx));
  }
  return moved(p, { kind: 'testing', environment, test }, [
    ...effects,
    { type: 'runStep', step: { kind: 'test', environment, test } },
  ]);
}

function failIn(
  p: Promotion,
  environment: number,
  step: string,
  result: StepResult,
  ctx: Ctx,
  finished: Effect,
): Transition {
  const failed = updateStage(p, environment, setStageStatus('failed', ctx.at));
  return moved(failed, { kind: 'failed', environment, step, rollbackFailed: false }, [
    finished,
    { type: 'leaveEnvironment', environment },
    notice({ kind: 'stage_failed', environment: nameOf(ctx.service, environment), step, result }),
  ]);
}

// ---- manual promote and the production gate ---------------------------------------------------------------

function onPromoteRequested(p: Promotion, e: Event<'promoteRequested'>, ctx: Ctx): Transition {
  const phase = p.phase;
  if (phase.kind === 'rejected' || phase.kind === 'approval_expired') {
    const refusal = refuseTarget(p, ctx.service.environments.length - 1, e.to, ctx.service);
    return refusal ? refuse(refusal) : requestApproval({ ...p, approvals: [] }, ctx, [], e.by);
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
    case 'blocked':
      return `${service.name} ${nameOf(service, phase.environment)} is on hold (${phase.hold.reason}): /unhold it first`;
    default:
      return `${p.artifact.version} is ${phase.kind.replace('_', ' ')}, not waiting for a promote`;
  }
}

function requestApproval(p: Promotion, ctx: Ctx, effects: readonly Effect[], requestedBy: string): Moved {
  const policy = environmentAt(ctx.service, ctx.service.environments.length - 1).approval;
  const expiresAfterMs = policy?.expiresAfterMs ?? 24 * 3600_000;
  const expiresAt = new Date(Date.parse(ctx.at) + expiresAfterMs).toISOString();
  return moved(p, { kind: 'awaiting_approval', requestedAt: ctx.at, requestedBy, expiresAt }, [
    ...effects,
    { type: 'scheduleApprovalExpiry', requestedAt: ctx.at, delayMs: expiresAfterMs },
    notice({
      kind: 'approval_requested',
      environment: nameOf(ctx.service, ctx.service.environments.length - 1),
    }),
  ]);
}

function onApprovalDecided(p: Promotion, e: Event<'approvalDecided'>, ctx: Ctx): Transition {
  if (p.phase.kind !== 'awaiting_approval') return refuse(whyNotAtGate(p));
  if (Date.parse(ctx.at) >= Date.parse(p.phase.expiresAt)) return refuse('this approval request has expired');
  const production = ctx.service.environments.length - 1;
  const policy = environmentAt(ctx.service, production).approval;
  if (!policy) return refuse(`${ctx.service.name} production has no approval policy`);
  const refusal = refuseDecision(policy, p, { user: e.by, groups: e.byGroups }, e.decision);
  if (refusal) return refuse(refusal);
  const reason = e.reason === undefined ? {} : { reason: e.reason };
  const decided: Promotion = {
    ...p,
    approvals: [...p.approvals, { by: e.by, decision: e.decision, at: ctx.at, ...reason }],
  };
  const environment = nameOf(ctx.service, production);
  if (e.decision === 'reject') {
    return moved(decided, { kind: 'rejected', by: e.by, reason: e.reason ?? 'no reason given', at: ctx.at }, [
      notice({ kind: 'approval_decided', environment, by: e.by, ...reason }),
    ]);
  }
  if (approvalsOf(decided) < policy.required) {
    return moved(decided, p.phase, [notice({ kind: 'approval_recorded', environment, by: e.by })]);
  }
  return moved(decided, { kind: 'entering', environment: production }, [
    notice({ kind: 'approval_decided', environment, by: e.by }),
    { type: 'enterEnvironment', environment: production },
  ]);
}

function whyNotAtGate(p: Promotion): string {
  switch (p.phase.kind) {
    case 'rejected':
      return `already rejected by ${p.phase.by}`;
    case 'approval_expired':
      return 'this approval request has expired';
    case 'superseded':
      return `superseded by a newer version (${p.phase.by})`;
    default:
      return `${p.artifact.version} is not waiting for approval (it is ${p.phase.kind.replace('_', ' ')})`;
  }
}

function onApprovalExpired(p: Promotion, e: Event<'approvalExpired'>, ctx: Ctx): Transition {
  if (p.phase.kind !== 'awaiting_approval' || p.phase.requestedAt !== e.requestedAt) {
    return refuse('that approval request is no longer open');
  }
  return moved(p, { kind: 'approval_expired', at: ctx.at }, [
    notice({
      kind: 'approval_expired',
      environment: nameOf(ctx.service, ctx.service.environments.length - 1),
    }),
  ]);
}

// ---- production rollout ------------------------------------------------------------------------------------

function startRolloutStep(
  p: Promotion,
  step: number,
  ctx: Ctx,
  effects: readonly Effect[],
  carried?: AnalysisCounters,
): Transition {
  const production = ctx.service.environments.length - 1;
  const plan = planOf(p, ctx.service);
  const phase: Phase = {
    kind: 'rolling_out',
    step,
    stage: { kind: 'deploying' },
    ...(carried && (carried.breaches > 0 || carried.inconclusive > 0) ? { carried } : {}),
  };
  return moved(p, phase, [
    ...effects,
    notice({
      kind: 'rollout_step',
      environment: nameOf(ctx.service, production),
      step: plan[step]?.label ?? 'deploy',
    }),
    { type: 'runStep', step: { kind: 'deploy', environment: production, rolloutStep: step } },
  ]);
}

function continueRollout(
  p: Promotion,
  step: number,
  stage: RolloutStage,
  ctx: Ctx,
  effects: Effect[],
): Transition {
  const production = ctx.service.environments.length - 1;
  const tests = environmentAt(ctx.service, production).tests;
  // Production tests verify the first step (the canary, or the idle colour) before any analysis.
  const nextTest = stage.kind === 'deploying' ? 0 : stage.kind === 'testing' ? stage.test + 1 : tests.length;
  if (step === 0 && nextTest < tests.length) {
    return moved(p, { kind: 'rolling_out', step, stage: { kind: 'testing', test: nextTest } }, [
      ...effects,
      { type: 'runStep', step: { kind: 'test', environment: production, test: nextTest } },
    ]);
  }
  return startAnalysis(p, step, ctx, effects);
}

function startAnalysis(p: Promotion, step: number, ctx: Ctx, effects: readonly Effect[]): Transition {
  const environment = environmentAt(ctx.service, ctx.service.environments.length - 1);
  const window = planOf(p, ctx.service)[step]?.analysisMs ?? 0;
  const schedule = analysisSchedule(window, environment.monitor);
  const carried = p.phase.kind === 'rolling_out' ? p.phase.carried : undefined;
  if (schedule.checks === 0) return completeRolloutStep(p, step, ctx, effects, carried);
  const stage: RolloutStage = {
    kind: 'analysing',
    check: 0,
    checks: schedule.checks,
    breaches: carried?.breaches ?? 0,
    inconclusive: carried?.inconclusive ?? 0,
  };
  return moved(p, { kind: 'rolling_out', step, stage }, [
    ...effects,
    { type: 'scheduleAnalysis', analysis: { step, check: 1 }, delayMs: schedule.delayBefore(1) },
  ]);
}

function onAnalysisCompleted(p: Promotion, e: Event<'analysisCompleted'>, ctx: Ctx): Transition {
  const phase = p.phase;
  if (
    phase.kind !== 'rolling_out' ||
    phase.stage.kind !== 'analysing' ||
    phase.step !== e.analysis.step ||
    phase.stage.check + 1 !== e.analysis.check
  ) {
    return refuse(`analysis ${e.analysis.step}.${e.analysis.check} is not due`);
  }
  const stage = phase.stage;
  const environment = environmentAt(ctx.service, ctx.service.environments.length - 1);
  p = recordSample(p, ctx, phase.step, e.measurements);
  const counters = countCheck(stage, judge(e.measurements));
  const limits = environment.monitor ?? { failureLimit: 1, inconclusiveLimit: 1 };
  const decision = decide(counters, limits);
  // `checks` is the run that decided: breaches in a row, or inconclusive checks in a row.
  const measurements = e.measurements;
  if (decision === 'rollback-breach')
    return rollBack(p, { kind: 'metric-breach', measurements, checks: counters.breaches }, false, ctx, []);
  if (decision === 'rollback-inconclusive')
    return rollBack(p, { kind: 'inconclusive', measurements, checks: counters.inconclusive }, false, ctx, []);
  if (e.analysis.check >= stage.checks) return completeRolloutStep(p, phase.step, ctx, [], counters);
  const analysed: RolloutStage = { ...stage, ...counters, check: e.analysis.check, last: e.measurements };
  const schedule = analysisSchedule(planOf(p, ctx.service)[phase.step]?.analysisMs ?? 0, environment.monitor);
  return moved(p, { kind: 'rolling_out', step: phase.step, stage: analysed }, [
    {
      type: 'scheduleAnalysis',
      analysis: { step: phase.step, check: e.analysis.check + 1 },
      delayMs: schedule.delayBefore(e.analysis.check + 1),
    },
  ]);
}

const MAX_SAMPLES = 240;

function recordSample(p: Promotion, ctx: Ctx, step: number, measurements: readonly Measurement[]): Promotion {
  const values = Object.fromEntries(measurements.map((m) => [m.metric, m.value ?? null]));
  return updateStage(p, ctx.service.environments.length - 1, (stage) => ({
    ...stage,
    samples: [...(stage.samples ?? []), { at: ctx.at, step, values }].slice(-MAX_SAMPLES),
  }));
}

function completeRolloutStep(
  p: Promotion,
  step: number,
  ctx: Ctx,
  effects: readonly Effect[],
  carried?: AnalysisCounters,
): Transition {
  if (step + 1 < planOf(p, ctx.service).length) return startRolloutStep(p, step + 1, ctx, effects, carried);
  const production = ctx.service.environments.length - 1;
  const released = updateStage(p, production, setStageStatus('passed', ctx.at));
  return moved(released, { kind: 'released', at: ctx.at }, [
    ...effects,
    { type: 'recordDeployment', environment: production },
    { type: 'leaveEnvironment', environment: production },
    notice({ kind: 'released', environment: nameOf(ctx.service, production) }),
  ]);
}

// ---- rollback ----------------------------------------------------------------------------------------------

function onRollbackRequested(p: Promotion, e: Event<'rollbackRequested'>, ctx: Ctx): Transition {
  const cause: RollbackCause = {
    kind: 'manual',
    by: e.by,
    ...(e.reason === undefined ? {} : { reason: e.reason }),
  };
  if (p.phase.kind === 'rolling_out') return rollBack(p, cause, false, ctx, []);
  if (p.phase.kind === 'released') return rollBack(p, cause, true, ctx, []);
  return refuse(`${p.artifact.version} is not in production (it is ${p.phase.kind.replace('_', ' ')})`);
}

function rollBack(
  p: Promotion,
  cause: RollbackCause,
  released: boolean,
  ctx: Ctx,
  effects: Effect[],
): Transition {
  const production = ctx.service.environments.length - 1;
  const environment = environmentAt(ctx.service, production);
  const name = nameOf(ctx.service, production);
  if (!environment.rollback && !p.stages[production]?.predecessor) {
    // Nothing to run and nothing to go back to: say so loudly rather than pretend.
    const failed = updateStage(p, production, setStageStatus('failed', ctx.at));
    const reason = 'no rollback step is configured and nothing ran in production before this version';
    return moved(
      failed,
      { kind: 'failed', environment: production, step: 'rollback', rollbackFailed: true },
      [
        ...effects,
        ...(released ? [] : [{ type: 'leaveEnvironment', environment: production } as const]),
        notice({ kind: 'rollback_failed', environment: name, cause, reason }),
      ],
    );
  }
  return moved(p, { kind: 'rolling_back', cause, released }, [
    ...effects,
    notice({ kind: 'rollback_started', environment: name, cause }),
    { type: 'runStep', step: { kind: 'rollback', environment: production } },
  ]);
}

function finishRollback(
  p: Promotion,
  phase: Extract<Phase, { kind: 'rolling_back' }>,
  passed: boolean,
  result: StepResult,
  ctx: Ctx,
  finished: Effect,
): Transition {
  const production = ctx.service.environments.length - 1;
  const name = nameOf(ctx.service, production);
  const leave: Effect[] = phase.released ? [] : [{ type: 'leaveEnvironment', environment: production }];
  if (!passed) {
    const failed = updateStage(p, production, setStageStatus('failed', ctx.at));
    return moved(
      failed,
      { kind: 'failed', environment: production, step: 'rollback', rollbackFailed: true },
      [
        finished,
        ...leave,
        notice({ kind: 'rollback_failed', environment: name, cause: phase.cause, result }),
      ],
    );
  }
  const rolledBack = updateStage(p, production, setStageStatus('rolled_back', ctx.at));
  const automatic = phase.cause.kind !== 'manual';
  return moved(rolledBack, { kind: 'rolled_back', cause: phase.cause }, [
    finished,
    ...(phase.released ? [{ type: 'revertDeployment', environment: production } as const] : []),
    ...(automatic
      ? [
          {
            type: 'quarantine',
            environment: production,
            reason: `automatic rollback of ${p.artifact.version}`,
          } as const,
        ]
      : []),
    ...leave,
    notice({ kind: 'rolled_back', environment: name, cause: phase.cause }),
  ]);
}

// ---- supersede ---------------------------------------------------------------------------------------------

function onSuperseded(p: Promotion, e: Event<'superseded'>, ctx: Ctx): Transition {
  const phase = p.phase;
  const done = (draining: number | undefined, effects: readonly Effect[]): Transition =>
    moved(p, { kind: 'superseded', by: e.by, ...(draining === undefined ? {} : { draining }) }, [
      ...effects,
      notice({ kind: 'superseded', by: e.by }),
    ]);
  switch (phase.kind) {
    case 'entering':
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
      return refuse(
        `${p.artifact.version} cannot be superseded: it is ${phase.kind.replace('_', ' ')} ${ctx.service.name}`,
      );
  }
}

// ---- helpers -----------------------------------------------------------------------------------------------

function moved(p: Promotion, phase: Phase, effects: readonly Effect[]): Moved {
  return { ok: true, promotion: { ...p, phase }, effects };
}

function refuse(reason: string): Transition {
  return { ok: false, reason };
}

function prepend(effects: readonly Effect[], transition: Transition): Transition {
  return transition.ok ? { ...transition, effects: [...effects, ...transition.effects] } : transition;
}

function notice(n: Notice): Effect {
  return { type: 'notify', notice: n };
}

function environmentAt(service: Service, index: number): Environment {
  const environment = service.environments[index];
  if (!environment) throw new RangeError(`${service.name} has no environment #${index}`);
  return environment;
}

function nameOf(service: Service, index: number): string {
  return environmentAt(service, index).name;
}

function isProductionIndex(service: Service, index: number): boolean {
  return index === service.environments.length - 1;
}

export function planOf(p: Promotion, service: Service) {
  const production = service.environments.length - 1;
  return rolloutPlan(environmentAt(service, production), p.stages[production]?.color ?? 'blue');
}

export function stepName(p: Promotion, step: StepRef, service: Service): string {
  switch (step.kind) {
    case 'deploy':
      return isProductionIndex(service, step.environment)
        ? (planOf(p, service)[step.rolloutStep]?.label ?? 'deploy')
        : 'deploy';
    case 'test':
      return environmentAt(service, step.environment).tests[step.test]?.name ?? `test ${step.test + 1}`;
    case 'rollback':
      return 'rollback';
  }
}

function describeStep(step: StepRef): string {
  switch (step.kind) {
    case 'deploy':
      return `deploy #${step.rolloutStep} in environment ${step.environment}`;
    case 'test':
      return `test #${step.test} in environment ${step.environment}`;
    case 'rollback':
      return 'rollback';
  }
}
