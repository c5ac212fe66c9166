import { describe, expect, it } from 'vitest';
import type { Stage, StageStatus } from '../../../src/domain/promotion.js';
import { finishStep, setStageStatus, startStep } from '../../../src/domain/stages.js';
import { aResult } from './promotion-flow.js';

const T1 = '2024-03-01T09:00:00.000Z';
const T2 = '2024-03-01T09:05:00.000Z';
const T3 = '2024-03-01T09:10:00.000Z';

function aStage(overrides: Partial<Stage> = {}): Stage {
  return { environment: 'staging', status: 'pending', steps: [], ...overrides };
}

describe('setStageStatus', () => {
  it('stamps the start when a stage first runs and keeps it afterwards', () => {
    const running = setStageStatus('running', T1)(aStage());
    const again = setStageStatus('running', T2)(running);

    expect(running).toMatchObject({ status: 'running', startedAt: T1 });
    expect(again.startedAt).toBe(T1);
  });

  it('stamps the finish when a stage passes, fails, is held or rolled back', () => {
    const finishing: StageStatus[] = ['passed', 'failed', 'held', 'rolled_back'];
    for (const status of finishing) {
      expect(setStageStatus(status, T2)(aStage({ status: 'running', startedAt: T1 }))).toMatchObject({
        status,
        finishedAt: T2,
      });
    }
  });

  it('clears an earlier finish when the stage waits or runs again', () => {
    const heldStage = aStage({ status: 'held', finishedAt: T1 });

    expect(setStageStatus('pending', T2)(heldStage).finishedAt).toBeUndefined();
    expect(setStageStatus('running', T3)(heldStage).finishedAt).toBeUndefined();
  });
});

describe('startStep and finishStep', () => {
  it('records a running step and then its outcome, keeping the start time', () => {
    const started = startStep('deploy', T1)(aStage());
    const finished = finishStep('deploy', true, aResult({ durationMs: 300, exitCode: 0 }), T2)(started);

    expect(finished.steps).toEqual([
      { name: 'deploy', status: 'passed', startedAt: T1, finishedAt: T2, durationMs: 300, exitCode: 0 },
    ]);
  });

  it('replaces the running record of a step that is started again', () => {
    const twice = startStep('deploy', T2)(startStep('deploy', T1)(aStage()));

    expect(twice.steps).toEqual([{ name: 'deploy', status: 'running', startedAt: T2 }]);
  });

  it('keeps the output and error of a failed step for its notice', () => {
    const result = aResult({ exitCode: 1, error: 'exit 1', output: ['oops'] });

    const finished = finishStep('smoke', false, result, T2)(startStep('smoke', T1)(aStage()));

    expect(finished.steps[0]).toMatchObject({ status: 'failed', error: 'exit 1', output: ['oops'] });
  });

  it('does not keep the output of a step that passed', () => {
    const finished = finishStep('smoke', true, aResult({ output: ['fine'] }), T2)(aStage());

    expect(finished.steps[0]?.output).toBeUndefined();
  });

  it('records a step that reports without having been started', () => {
    const finished = finishStep('load', true, aResult({ httpStatus: 204 }), T2)(aStage());

    expect(finished.steps).toEqual([
      {
        name: 'load',
        status: 'passed',
        startedAt: T2,
        finishedAt: T2,
        durationMs: 1200,
        exitCode: 0,
        httpStatus: 204,
      },
    ]);
  });

  it('keeps earlier finished records of the same step name', () => {
    const first = finishStep('deploy', false, aResult({ exitCode: 1 }), T1)(aStage());
    const second = finishStep('deploy', true, aResult(), T3)(startStep('deploy', T2)(first));

    expect(second.steps.map((step) => step.status)).toEqual(['failed', 'passed']);
  });
});
