import { describe, expect, it } from 'vitest';
import { aResult, attempt, deployStep, drive, entered, publish, succeeded } from './promotion-flow.js';

// A step job can be taken over (its worker died, or lost its lock while Redis was away). The execution that
// started last owns the step: a report from an earlier execution is refused, whatever it says.

function startedBy(run: string) {
  return { type: 'stepStarted', step: deployStep(0), run } as const;
}

function inDevelopmentDeploy() {
  return drive(publish(), entered(0));
}

describe('step runs', () => {
  it('refuses the report of an earlier run once a newer run has started the step', () => {
    const flow = drive(inDevelopmentDeploy(), startedBy('run-1'), startedBy('run-2'));

    const late = attempt(flow, {
      type: 'stepFailed',
      step: deployStep(0),
      result: aResult({ exitCode: 137 }),
      run: 'run-1',
    });

    expect(late).toEqual({ ok: false, reason: expect.stringContaining('earlier run') });
    expect(
      attempt(flow, { type: 'stepSucceeded', step: deployStep(0), result: aResult(), run: 'run-2' }),
    ).toMatchObject({ ok: true });
  });

  it('records which run is executing the step', () => {
    const flow = drive(inDevelopmentDeploy(), startedBy('run-7'));

    expect(flow.promotion.stages[0]?.steps).toMatchObject([
      { name: 'deploy', status: 'running', run: 'run-7' },
    ]);
  });

  it('accepts reports without a run id, as before fencing existed', () => {
    const flow = drive(inDevelopmentDeploy(), startedBy('run-1'));

    expect(attempt(flow, succeeded(deployStep(0)))).toMatchObject({ ok: true });
  });
});
