import {
  type AnalysisCounters,
  type AnalysisSchedule,
  analysisSchedule,
  countCheck,
  decide,
  judge,
} from './analysis.js';
import { isNamedIn } from './approval-policy.js';
import type { Effect, Transition } from './events.js';
import type { Monitor } from './pipeline.js';
import { productionIndex } from './pipeline.js';
import type { AnalysingStage, Measurement, Phase, Promotion, RolloutStage } from './promotion.js';
import { planOf } from './rollout-plan.js';
import { setStageStatus, updateStage } from './stages.js';
import { type Ctx, type Event, environmentAt, moved, nameOf, notice, refuse } from './transition-kit.js';
import { rollBack } from './transition-rollback.js';

// The production rollout: each step deployed, the first one tested, each pause analysed.

export function startRolloutStep(
  p: Promotion,
  step: number,
  ctx: Ctx,
  effects: readonly Effect[],
  carried?: AnalysisCounters,
): Transition {
  const production = productionIndex(ctx.service);
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

export function continueRollout(
  p: Promotion,
  step: number,
  stage: RolloutStage,
  ctx: Ctx,
  effects: Effect[],
): Transition {
  const production = productionIndex(ctx.service);
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
  const environment = environmentAt(ctx.service, productionIndex(ctx.service));
  const window = planOf(p, ctx.service)[step]?.analysisMs ?? 0;
  const schedule = analysisSchedule(window, environment.monitor);
  const carried = p.phase.kind === 'rolling_out' ? p.phase.carried : undefined;
  if (schedule.checks === 0) return completeRolloutStep(p, step, ctx, effects, carried);
  const stage: RolloutStage = {
    kind: 'analysing',
    startedAt: ctx.at,
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

export function onAnalysisCompleted(p: Promotion, e: Event<'analysisCompleted'>, ctx: Ctx): Transition {
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
  const environment = environmentAt(ctx.service, productionIndex(ctx.service));
  p = recordSample(p, ctx, phase.step, e.measurements);
  const counters = countCheck(stage, judge(e.measurements));
  const limits = environment.monitor ?? { failureLimit: 1, inconclusiveLimit: 1 };
  const decision = decide(counters, limits);
  // `checks` is the run that decided: breaches in a row, or inconclusive checks in a row.
  const measurements = e.measurements;
  if (decision === 'rollback-breach')
    return rollBack(p, { kind: 'metric-breach', measurements, checks: counters.breaches }, false, ctx, []);
  if (decision === 'rollback-inconclusive') {
    const analysed: AnalysingStage = { ...stage, ...counters, check: e.analysis.check, last: measurements };
    if (environment.monitor?.onInconclusive === 'ask')
      return askAboutMissingData(p, phase.step, analysed, ctx, environment.monitor);
    return rollBack(p, { kind: 'inconclusive', measurements, checks: counters.inconclusive }, false, ctx, []);
  }
  const analysed: AnalysingStage = { ...stage, ...counters, check: e.analysis.check, last: e.measurements };
  return analyseOn(p, phase.step, analysed, ctx, []);
}

/** The next check of the step, or the next step once every check of this one was made. */
function analyseOn(
  p: Promotion,
  step: number,
  analysed: AnalysingStage,
  ctx: Ctx,
  effects: readonly Effect[],
): Transition {
  const counters = { breaches: analysed.breaches, inconclusive: analysed.inconclusive };
  if (analysed.check >= analysed.checks) return completeRolloutStep(p, step, ctx, effects, counters);
  const environment = environmentAt(ctx.service, productionIndex(ctx.service));
  const schedule = analysisSchedule(planOf(p, ctx.service)[step]?.analysisMs ?? 0, environment.monitor);
  return moved(p, { kind: 'rolling_out', step, stage: analysed }, [
    ...effects,
    {
      type: 'scheduleAnalysis',
      analysis: { step, check: analysed.check + 1 },
      delayMs: nextCheckDelay(schedule, analysed.startedAt, analysed.check + 1, ctx.at),
    },
  ]);
}

/**
 * `onInconclusive: ask`: the rollout waits, and the approvers are asked whether to go on without data. Without an
 * answer within `interval` × `inconclusiveLimit` it rolls back, as it would have at once.
 */
function askAboutMissingData(
  p: Promotion,
  step: number,
  analysis: AnalysingStage,
  ctx: Ctx,
  monitor: Monitor,
): Transition {
  const waitMs = monitor.intervalMs * monitor.inconclusiveLimit;
  const deadline = new Date(Date.parse(ctx.at) + waitMs).toISOString();
  const stage: RolloutStage = {
    kind: 'asking',
    askedAt: ctx.at,
    deadline,
    measurements: analysis.last ?? [],
    checks: analysis.inconclusive,
    analysis,
  };
  return moved(p, { kind: 'rolling_out', step, stage }, [
    notice({ kind: 'inconclusive_asked', environment: nameOf(ctx.service, productionIndex(ctx.service)) }),
    { type: 'scheduleInconclusiveDeadline', askedAt: ctx.at, delayMs: waitMs },
  ]);
}

export function onInconclusiveDecided(p: Promotion, e: Event<'inconclusiveDecided'>, ctx: Ctx): Transition {
  const asking = askingStage(p, e.askedAt);
  if (!asking) return refuse('that question about missing data is no longer open');
  // The deadline job may still be on its way: an answer after the deadline is not one given in time.
  if (Date.parse(ctx.at) >= Date.parse(asking.stage.deadline))
    return refuse('the time to answer this question is over');
  const policy = environmentAt(ctx.service, productionIndex(ctx.service)).approval;
  if (!policy || !isNamedIn(policy.approvers, { user: e.by, groups: e.byGroups }))
    return refuse(`only approvers of ${ctx.service.name} production may decide this`);
  const { stage, step } = asking;
  const environment = nameOf(ctx.service, productionIndex(ctx.service));
  const answered = notice({
    kind: 'inconclusive_answered',
    environment,
    by: e.by,
    reason: e.decision === 'continue' ? 'continue' : 'roll back',
  });
  if (e.decision === 'rollback') {
    const cause = {
      kind: 'inconclusive',
      measurements: stage.measurements,
      checks: stage.checks,
      decidedBy: e.by,
    } as const;
    return rollBack(p, cause, false, ctx, [answered]);
  }
  // Going on: the run of checks without data is forgiven; a breach still rolls back.
  return analyseOn(p, step, { ...stage.analysis, inconclusive: 0 }, ctx, [answered]);
}

export function onInconclusiveUnanswered(
  p: Promotion,
  e: Event<'inconclusiveUnanswered'>,
  ctx: Ctx,
): Transition {
  const asking = askingStage(p, e.askedAt);
  if (!asking) return refuse('that question about missing data is no longer open');
  const { stage } = asking;
  const environment = nameOf(ctx.service, productionIndex(ctx.service));
  return rollBack(
    p,
    { kind: 'inconclusive', measurements: stage.measurements, checks: stage.checks },
    false,
    ctx,
    [
      notice({
        kind: 'inconclusive_answered',
        environment,
        by: 'promotion-bot',
        reason: 'no answer in time',
      }),
    ],
  );
}

function askingStage(
  p: Promotion,
  askedAt: string,
): { readonly step: number; readonly stage: Extract<RolloutStage, { kind: 'asking' }> } | undefined {
  const { phase } = p;
  if (phase.kind !== 'rolling_out' || phase.stage.kind !== 'asking' || phase.stage.askedAt !== askedAt)
    return undefined;
  return { step: phase.step, stage: phase.stage };
}

const MAX_SAMPLES = 240;

function recordSample(p: Promotion, ctx: Ctx, step: number, measurements: readonly Measurement[]): Promotion {
  const values = Object.fromEntries(measurements.map((m) => [m.metric, m.value ?? null]));
  return updateStage(p, productionIndex(ctx.service), (stage) => ({
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
  const production = productionIndex(ctx.service);
  const released = updateStage(p, production, setStageStatus('passed', ctx.at));
  return moved(released, { kind: 'released', at: ctx.at }, [
    ...effects,
    { type: 'recordDeployment', environment: production },
    { type: 'leaveEnvironment', environment: production },
    notice({ kind: 'released', environment: nameOf(ctx.service, production) }),
  ]);
}

/** Time until check `n` is due, so a slow check or a late job does not push every later check back. */
function nextCheckDelay(
  schedule: AnalysisSchedule,
  startedAt: string | undefined,
  check: number,
  now: string,
): number {
  if (startedAt === undefined) return schedule.delayBefore(check);
  return Math.max(0, Date.parse(startedAt) + schedule.dueAfter(check) - Date.parse(now));
}
