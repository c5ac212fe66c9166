import type { Effect, StepResult, Transition } from './events.js';
import type { Promotion } from './promotion.js';
import { expectsStep, isDraining } from './promotion-view.js';
import { finishStep, runningRun, setStageStatus, startStep, updateStage } from './stages.js';
import {
  type Ctx,
  describeStep,
  type Event,
  environmentAt,
  moved,
  nameOf,
  notice,
  prepend,
  refuse,
  stepName,
} from './transition-kit.js';
import { finishRollback, rollBack } from './transition-rollback.js';
import { continueRollout } from './transition-rollout.js';
import { soakOrPass } from './transition-soak.js';

// Step results: a deploy or test passed or failed, in any environment.

export function onStepStarted(p: Promotion, e: Event<'stepStarted'>, ctx: Ctx): Transition {
  if (!expectsStep(p, e.step)) return refuse(`step ${describeStep(e.step)} is not due`);
  return moved(
    updateStage(p, e.step.environment, startStep(stepName(p, e.step, ctx.service), ctx.at, e.run)),
    p.phase,
    [],
  );
}

export function onStepFinished(p: Promotion, e: Event<'stepSucceeded' | 'stepFailed'>, ctx: Ctx): Transition {
  if (isDraining(p, e.step) && p.phase.kind === 'superseded') {
    // The environment runs what the in-flight deploy put there, even though this promotion stops here.
    const deployed = e.type === 'stepSucceeded' && e.step.kind === 'deploy';
    const { draining: _drained, ...stopped } = p.phase;
    return moved(p, stopped, [
      ...(deployed ? [{ type: 'recordDeployment', environment: e.step.environment } as const] : []),
      { type: 'leaveEnvironment', environment: e.step.environment },
    ]);
  }
  if (!expectsStep(p, e.step)) return refuse(`step ${describeStep(e.step)} is not due`);
  const passed = e.type === 'stepSucceeded';
  const name = stepName(p, e.step, ctx.service);
  // Fencing: once a newer execution started (the job was taken over), an older one's report is refused.
  const current = runningRun(p.stages[e.step.environment], name);
  if (e.run !== undefined && current !== undefined && current !== e.run) {
    return refuse(`step ${describeStep(e.step)} is being run again; this report is from an earlier run`);
  }
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
    return prepend(effects, soakOrPass(p, environment, ctx));
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
