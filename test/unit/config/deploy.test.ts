import { describe, expect, it } from 'vitest';
import { environmentOf, problemsOf, withEnvironments } from './pipeline-text.js';

const APPROVAL = '        approval: { approvers: [U0CAROL] }';
const PATH = 'services.checkout.environments[0].deploy';

/** A production environment whose deploy map holds these lines; the first of them is on line 9. */
function withDeploy(...lines: string[]): string {
  return withEnvironments('      - name: production', APPROVAL, '        deploy:', ...lines);
}

function deployOf(...lines: string[]) {
  return environmentOf(withDeploy(...lines), 'production').deploy;
}

describe('deploy', () => {
  it('rolls out all at once by default', () => {
    expect(deployOf('          run: ./deploy.sh')).toEqual({
      kind: 'run',
      command: ['./deploy.sh'],
      timeoutMs: 600_000,
      retries: 0,
      retryBackoffMs: 1000,
      strategy: 'all-at-once',
      steps: [{ weight: 100, pauseMs: 0 }],
    });
  });

  it('deploys blue-green in one step of weight 100', () => {
    expect(deployOf('          run: ./deploy.sh', '          strategy: blue-green')).toMatchObject({
      strategy: 'blue-green',
      steps: [{ weight: 100, pauseMs: 0 }],
    });
  });

  it('deploys with an http request', () => {
    expect(
      deployOf('          http: { url: "https://deployer/deploy/$SERVICE", method: POST }'),
    ).toMatchObject({
      kind: 'http',
      method: 'POST',
      timeoutMs: 30_000,
      strategy: 'all-at-once',
    });
  });

  it('keeps canary steps and their pauses', () => {
    const deploy = deployOf(
      '          run: ./deploy.sh',
      '          strategy: canary',
      '          steps: [ { weight: 10, pause: 5m }, { weight: 50, pause: 10m }, { weight: 100 } ]',
    );

    expect(deploy).toMatchObject({
      strategy: 'canary',
      steps: [
        { weight: 10, pauseMs: 300_000 },
        { weight: 50, pauseMs: 600_000 },
        { weight: 100, pauseMs: 0 },
      ],
    });
  });

  it('ends a canary at weight 100 when the steps stop short of it', () => {
    const deploy = deployOf(
      '          run: ./deploy.sh',
      '          strategy: canary',
      '          steps: [ { weight: 25, pause: 1m } ]',
    );

    expect(deploy.steps).toEqual([
      { weight: 25, pauseMs: 60_000 },
      { weight: 100, pauseMs: 0 },
    ]);
  });

  it('requires steps for a canary', () => {
    expect(problemsOf(withDeploy('          run: ./deploy.sh', '          strategy: canary'))).toEqual([
      {
        path: `${PATH}.steps`,
        line: 9,
        message:
          'is required for strategy canary: list the traffic weights, like [{ weight: 10, pause: 5m }, { weight: 100 }]',
      },
    ]);
  });

  it('rejects steps for blue-green', () => {
    const text = withDeploy(
      '          run: ./deploy.sh',
      '          strategy: blue-green',
      '          steps: [ { weight: 50 } ]',
    );

    expect(problemsOf(text)).toEqual([
      {
        path: `${PATH}.steps`,
        line: 11,
        message: 'steps are only for strategy canary: blue-green moves all traffic at once, so remove steps',
      },
    ]);
  });

  it('rejects steps without a strategy', () => {
    expect(
      problemsOf(withDeploy('          run: ./deploy.sh', '          steps: [ { weight: 50 } ]')),
    ).toEqual([
      {
        path: `${PATH}.steps`,
        line: 10,
        message: 'steps are only for strategy canary: all-at-once moves all traffic at once, so remove steps',
      },
    ]);
  });

  it('rejects canary weights that do not go up', () => {
    const text = withDeploy(
      '          run: ./deploy.sh',
      '          strategy: canary',
      '          steps:',
      '            - weight: 50',
      '            - weight: 20',
    );

    expect(problemsOf(text)).toEqual([
      {
        path: `${PATH}.steps[1].weight`,
        line: 13,
        message: "must be greater than the previous step's weight (50): weights only go up",
      },
    ]);
  });

  it.each([0, 101, 12.5])('rejects the canary weight %s', (weight) => {
    const text = withDeploy(
      '          run: ./deploy.sh',
      '          strategy: canary',
      `          steps: [ { weight: ${weight} } ]`,
    );

    expect(problemsOf(text)).toEqual([
      { path: `${PATH}.steps[0].weight`, line: 11, message: 'must be a whole percentage from 1 to 100' },
    ]);
  });

  it('rejects an unknown strategy', () => {
    expect(problemsOf(withDeploy('          run: ./deploy.sh', '          strategy: rolling'))).toEqual([
      { path: `${PATH}.strategy`, line: 10, message: 'must be one of: all-at-once, canary, blue-green' },
    ]);
  });

  it('reports an unknown key in a canary step', () => {
    const text = withDeploy(
      '          run: ./deploy.sh',
      '          strategy: canary',
      '          steps: [ { weight: 10, wait: 5m } ]',
    );

    expect(problemsOf(text)).toEqual([
      { path: `${PATH}.steps[0].wait`, line: 11, message: 'unknown key; allowed keys are weight, pause' },
    ]);
  });
});
