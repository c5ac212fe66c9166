import type { StepResult } from './events.js';
import type { Promotion, Stage, StageStatus, StepRecord } from './promotion.js';

export function updateStage(
  promotion: Promotion,
  environment: number,
  change: (stage: Stage) => Stage,
): Promotion {
  return {
    ...promotion,
    stages: promotion.stages.map((stage, index) => (index === environment ? change(stage) : stage)),
  };
}

export function setStageStatus(status: StageStatus, at: string): (stage: Stage) => Stage {
  return (stage) => {
    const started = stage.startedAt === undefined && status === 'running' ? { startedAt: at } : {};
    // A stage that runs (again, after a hold) or waits again has not finished: drop the hold's finish time.
    const { finishedAt: _previous, ...open } = stage;
    if (status === 'running' || status === 'pending') return { ...open, ...started, status };
    return { ...stage, ...started, finishedAt: at, status };
  };
}

/** Marks a step as running; a step restarted after a crash replaces its earlier running record. */
export function startStep(name: string, at: string, run?: string): (stage: Stage) => Stage {
  return (stage) => {
    const others = stage.steps.filter((step) => !(step.name === name && step.status === 'running'));
    return {
      ...stage,
      steps: [...others, { name, status: 'running', startedAt: at, ...(run ? { run } : {}) }],
    };
  };
}

/** The run that most recently started step `name`, if it is still running. */
export function runningRun(stage: Stage | undefined, name: string): string | undefined {
  return stage?.steps.findLast((step) => step.name === name && step.status === 'running')?.run;
}

export function finishStep(
  name: string,
  passed: boolean,
  result: StepResult,
  at: string,
): (stage: Stage) => Stage {
  return (stage) => {
    const running = stage.steps.findLast((step) => step.name === name && step.status === 'running');
    const record: StepRecord = {
      name,
      status: passed ? 'passed' : 'failed',
      startedAt: running?.startedAt ?? at,
      finishedAt: at,
      durationMs: result.durationMs,
      ...(result.exitCode === undefined ? {} : { exitCode: result.exitCode }),
      ...(result.httpStatus === undefined ? {} : { httpStatus: result.httpStatus }),
      ...(result.error === undefined ? {} : { error: result.error }),
      ...(passed ? {} : { output: result.output }),
    };
    const steps = running
      ? stage.steps.map((step) => (step === running ? record : step))
      : [...stage.steps, record];
    return { ...stage, steps };
  };
}
