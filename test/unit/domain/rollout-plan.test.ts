import { describe, expect, it } from 'vitest';
import { idleColor, rolloutPlan } from '../../../src/domain/rollout-plan.js';
import {
  aBlueGreenDeploy,
  aCanaryDeploy,
  aDeploy,
  aMonitor,
  aProduction,
  MINUTE,
} from '../../support/pipeline-builder.js';

describe('idleColor', () => {
  it('is the colour that is not live', () => {
    expect(idleColor('blue')).toBe('green');
    expect(idleColor('green')).toBe('blue');
  });

  it('is blue when nothing is live yet', () => {
    expect(idleColor(undefined)).toBe('blue');
  });
});

describe('rolloutPlan', () => {
  it('follows the canary weights and analyses each step for its pause', () => {
    const plan = rolloutPlan(aProduction({ deploy: aCanaryDeploy() }), 'blue');

    expect(plan).toEqual([
      { weight: 10, analysisMs: 5 * MINUTE, label: 'canary 10%' },
      { weight: 50, analysisMs: 10 * MINUTE, label: 'canary 50%' },
      { weight: 100, analysisMs: 0, label: 'full rollout' },
    ]);
  });

  it('deploys the idle colour without traffic, analyses it for the monitor duration, then switches', () => {
    const production = aProduction({
      deploy: aBlueGreenDeploy(),
      monitor: aMonitor({ durationMs: 7 * MINUTE }),
    });

    expect(rolloutPlan(production, 'green')).toEqual([
      { weight: 0, analysisMs: 7 * MINUTE, label: 'deploy green' },
      { weight: 100, analysisMs: 0, label: 'switch to green' },
    ]);
  });

  it('does not analyse a blue-green preview without a monitor', () => {
    const production = aProduction({ deploy: aBlueGreenDeploy(), monitor: undefined });

    expect(rolloutPlan(production, 'blue')[0]?.analysisMs).toBe(0);
  });

  it('deploys all at once in one step analysed for the monitor duration', () => {
    const production = aProduction({ deploy: aDeploy(), monitor: aMonitor({ durationMs: 3 * MINUTE }) });

    expect(rolloutPlan(production, 'blue')).toEqual([
      { weight: 100, analysisMs: 3 * MINUTE, label: 'deploy' },
    ]);
  });

  it('gives every plan a last step that carries all the traffic', () => {
    for (const deploy of [aCanaryDeploy(), aBlueGreenDeploy(), aDeploy()]) {
      expect(rolloutPlan(aProduction({ deploy }), 'blue').at(-1)?.weight).toBe(100);
    }
  });
});
