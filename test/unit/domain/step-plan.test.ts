import { describe, expect, it } from 'vitest';
import type { Predecessor } from '../../../src/domain/promotion.js';
import { STEP_CONTEXT_NAMES } from '../../../src/domain/step-context.js';
import { planStep } from '../../../src/domain/step-plan.js';
import {
  aBlueGreenDeploy,
  aDeploy,
  anArtifact,
  anEnvironment,
  anHttpStep,
  aProduction,
  aRunStep,
  aService,
  aServiceWithProduction,
  aTest,
} from '../../support/pipeline-builder.js';
import {
  deployStep,
  drive,
  entered,
  inProduction,
  PREDECESSOR,
  publish,
  rollbackStep,
  testStep,
} from './promotion-flow.js';

const STAGING_PREDECESSOR: Predecessor = { version: '1.3.9', digest: `sha256:${'c'.repeat(64)}` };

describe('planStep for a deploy', () => {
  it('gives the step the artifact and where it runs', () => {
    const service = aService();
    const flow = drive(publish(service, { id: 'p-7' }), entered(0));

    const plan = planStep(flow.promotion, deployStep(0), service);

    expect(plan.spec).toBe(service.environments[0]?.deploy);
    expect(plan.context).toEqual({
      SERVICE: 'checkout',
      VERSION: '1.4.0',
      DIGEST: anArtifact().digest,
      ENVIRONMENT: 'development',
      PREVIOUS_VERSION: '',
      WEIGHT: '100',
      COLOR: '',
      PROMOTION_ID: 'p-7',
    });
  });

  it('sets every context variable, empty when it does not apply', () => {
    const flow = drive(publish(), entered(0));

    const plan = planStep(flow.promotion, deployStep(0), flow.service);

    expect(Object.keys(plan.context).sort()).toEqual([...STEP_CONTEXT_NAMES].sort());
  });

  it('passes the version the stage replaces as PREVIOUS_VERSION', () => {
    const service = aService();
    const flow = drive(publish(service), entered(0, STAGING_PREDECESSOR));

    expect(planStep(flow.promotion, deployStep(0), service).context.PREVIOUS_VERSION).toBe('1.3.9');
  });

  it('gives each canary step its own weight', () => {
    const flow = inProduction(aService(), PREDECESSOR);

    const weights = [0, 1, 2].map(
      (step) => planStep(flow.promotion, deployStep(2, step), flow.service).context.WEIGHT,
    );

    expect(weights).toEqual(['10', '50', '100']);
  });

  it('passes production the version it replaces', () => {
    const flow = inProduction(aService(), PREDECESSOR);

    const context = planStep(flow.promotion, deployStep(2, 0), flow.service).context;

    expect(context).toMatchObject({ ENVIRONMENT: 'production', PREVIOUS_VERSION: '1.3.0', VERSION: '1.4.0' });
  });

  it('deploys the idle colour of a blue-green rollout with no traffic, then switches all of it', () => {
    const service = aServiceWithProduction({ deploy: aBlueGreenDeploy() });
    const flow = inProduction(service, { ...PREDECESSOR, color: 'blue' });

    const preview = planStep(flow.promotion, deployStep(2, 0), service).context;
    const switched = planStep(flow.promotion, deployStep(2, 1), service).context;

    expect(preview).toMatchObject({ COLOR: 'green', WEIGHT: '0' });
    expect(switched).toMatchObject({ COLOR: 'green', WEIGHT: '100' });
  });

  it('gives an all-at-once production deploy all the traffic', () => {
    const service = aServiceWithProduction({ deploy: aDeploy() });
    const flow = inProduction(service);

    expect(planStep(flow.promotion, deployStep(2, 0), service).context.WEIGHT).toBe('100');
  });
});

describe('planStep for a test', () => {
  it('runs the named test with the deploy context but no weight', () => {
    const smoke = aTest('smoke', anHttpStep('http://checkout.dev/$VERSION/health'));
    const service = aService({
      environments: [
        anEnvironment('development', { tests: [smoke] }),
        anEnvironment('staging'),
        aProduction(),
      ],
    });
    const flow = drive(publish(service), entered(0, STAGING_PREDECESSOR));

    const plan = planStep(flow.promotion, testStep(0, 0), service);

    expect(plan.spec).toBe(smoke);
    expect(plan.context).toMatchObject({ ENVIRONMENT: 'development', WEIGHT: '', PREVIOUS_VERSION: '1.3.9' });
  });

  it('refuses a test the environment does not have', () => {
    const flow = drive(publish(), entered(0));

    expect(() => planStep(flow.promotion, testStep(0, 5), flow.service)).toThrow(RangeError);
  });

  it('refuses an environment the service does not have', () => {
    const flow = publish();

    expect(() => planStep(flow.promotion, deployStep(7), flow.service)).toThrow(RangeError);
  });
});

describe('planStep for a rollback', () => {
  it('runs the rollback step with the version being rolled back and the one before it', () => {
    const rollback = aRunStep('./rollback.sh');
    const service = aServiceWithProduction({ rollback });
    const flow = inProduction(service, PREDECESSOR);

    const plan = planStep(flow.promotion, rollbackStep(2), service);

    expect(plan.spec).toBe(rollback);
    expect(plan.context).toMatchObject({
      VERSION: '1.4.0',
      PREVIOUS_VERSION: '1.3.0',
      ENVIRONMENT: 'production',
    });
  });

  it('redeploys the predecessor with the deploy step when there is no rollback step', () => {
    const service = aServiceWithProduction({ rollback: undefined });
    const flow = inProduction(service, PREDECESSOR);

    const plan = planStep(flow.promotion, rollbackStep(2), service);

    expect(plan.spec).toBe(service.environments[2]?.deploy);
    expect(plan.context).toMatchObject({
      VERSION: '1.3.0',
      DIGEST: PREDECESSOR.digest,
      PREVIOUS_VERSION: '1.4.0',
      WEIGHT: '100',
    });
  });

  it('redeploys the predecessor in the colour it ran in', () => {
    const service = aServiceWithProduction({ deploy: aBlueGreenDeploy(), rollback: undefined });
    const flow = inProduction(service, { ...PREDECESSOR, color: 'blue' });

    expect(planStep(flow.promotion, rollbackStep(2), service).context.COLOR).toBe('blue');
  });

  it('gives a blue-green rollback step the colour to switch back to', () => {
    const service = aServiceWithProduction({ deploy: aBlueGreenDeploy() });
    const flow = inProduction(service, { ...PREDECESSOR, color: 'blue' });

    const context = planStep(flow.promotion, rollbackStep(2), service).context;

    expect(context).toMatchObject({
      COLOR: 'blue',
      VERSION: flow.promotion.artifact.version,
      PREVIOUS_VERSION: PREDECESSOR.version,
    });
  });
});
