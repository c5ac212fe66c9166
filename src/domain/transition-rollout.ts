import {
  type AnalysisCounters,
  type AnalysisSchedule,
  analysisSchedule,
  countCheck,
  decide,
  judge,
} from './analysis.js';
import type { Effect, Transition } from './events.js';
import { productionIndex } from './pipeline.js';
import type { Measurement, Phase, Promotion, RolloutStage } from './promotion.js';
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
  if (decision === 'rollback-inconclusive')
    return rollBack(p, { kind: 'inconclusive', measurements, checks: counters.inconclusive }, false, ctx, []);
  if (e.analysis.check >= stage.checks) return completeRolloutStep(p, phase.step, ctx, [], counters);
  const analysed: RolloutStage = { ...stage, ...counters, check: e.analysis.check, last: e.measurements };
  const schedule = analysisSchedule(planOf(p, ctx.service)[phase.step]?.analysisMs ?? 0, environment.monitor);
  return moved(p, { kind: 'rolling_out', step: phase.step, stage: analysed }, [
    {
      type: 'scheduleAnalysis',
      analysis: { step: phase.step, check: e.analysis.check + 1 },
      delayMs: nextCheckDelay(schedule, stage.startedAt, e.analysis.check + 1, ctx.at),
    },
  ]);
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
