import { describe, expect, it } from 'vitest';
import { checkoutOf, PRODUCTION, problemsOf, withEnvironments } from './pipeline-text.js';

const STAGING = ['      - name: staging', '        deploy: { run: ./deploy.sh }'];

describe('environments in the pipeline file', () => {
  it('keeps the environments in their order, the last one being production', () => {
    const service = checkoutOf(withEnvironments(...STAGING, ...PRODUCTION));

    expect(service.environments.map((environment) => environment.name)).toEqual(['staging', 'production']);
  });

  it('requires at least one environment', () => {
    expect(problemsOf(withEnvironments().replace('environments:', 'environments: []'))).toEqual([
      {
        path: 'services.checkout.environments',
        line: 5,
        message: 'needs at least one environment: the last one is production',
      },
    ]);
  });

  it('rejects an environment name with capitals', () => {
    expect(problemsOf(withEnvironments('      - name: Staging', ...STAGING.slice(1), ...PRODUCTION))).toEqual(
      [
        {
          path: 'services.checkout.environments[0].name',
          line: 6,
          message:
            'is not a valid environment name: use lowercase letters, digits and "-" (at most 63, starting with a lowercase letter or a digit)',
        },
      ],
    );
  });

  it('rejects two environments with the same name', () => {
    expect(problemsOf(withEnvironments(...STAGING, ...STAGING, ...PRODUCTION))).toEqual([
      {
        path: 'services.checkout.environments[1].name',
        line: 8,
        message: 'environment "staging" appears more than once: each must be unique',
      },
    ]);
  });

  it('requires an approval on production', () => {
    expect(
      problemsOf(
        withEnvironments(...STAGING, '      - name: production', '        deploy: { run: ./deploy.sh }'),
      ),
    ).toEqual([
      {
        path: 'services.checkout.environments[1].approval',
        line: 8,
        message:
          'is required on production (the last environment): nothing reaches production without an explicit approval, so add approval: { approvers: [U…] }',
      },
    ]);
  });

  it('rejects an approval before production and suggests promote: manual', () => {
    expect(
      problemsOf(withEnvironments(...STAGING, '        approval: { approvers: [U0CAROL] }', ...PRODUCTION)),
    ).toEqual([
      {
        path: 'services.checkout.environments[0].approval',
        line: 8,
        message:
          'approval is only for production (the last environment): to wait for someone before promoting from here, use promote: manual instead',
      },
    ]);
  });

  it('rejects a monitor before production', () => {
    const monitor = [
      '        monitor:',
      '          metrics: [ { name: errors, http: { url: http://m, jsonPath: v }, max: 1 } ]',
    ];

    expect(problemsOf(withEnvironments(...STAGING, ...monitor, ...PRODUCTION))).toEqual([
      {
        path: 'services.checkout.environments[0].monitor',
        line: 9,
        message: 'monitor is only for production (the last environment): remove it here',
      },
    ]);
  });

  it('rejects a rollback before production', () => {
    expect(
      problemsOf(withEnvironments(...STAGING, '        rollback: { run: ./rollback.sh }', ...PRODUCTION)),
    ).toEqual([
      {
        path: 'services.checkout.environments[0].rollback',
        line: 8,
        message: 'rollback is only for production (the last environment): remove it here',
      },
    ]);
  });

  it.each(['canary', 'blue-green'])('rejects a %s rollout before production', (strategy) => {
    const text = withEnvironments(
      '      - name: staging',
      `        deploy: { run: ./deploy.sh, strategy: ${strategy} }`,
      ...PRODUCTION,
    );

    expect(problemsOf(text)).toEqual([
      {
        path: 'services.checkout.environments[0].deploy.strategy',
        line: 7,
        message:
          'canary and blue-green rollouts are only for production (the last environment): remove strategy here',
      },
    ]);
  });

  it('promotes automatically unless told otherwise', () => {
    const service = checkoutOf(
      withEnvironments(
        ...STAGING,
        '      - name: qa',
        '        deploy: { run: ./deploy.sh }',
        '        promote: manual',
        ...PRODUCTION,
      ),
    );

    expect(service.environments.map((environment) => environment.promote)).toEqual([
      'auto',
      'manual',
      'auto',
    ]);
  });

  it('rejects an unknown promote mode', () => {
    expect(problemsOf(withEnvironments(...STAGING, '        promote: later', ...PRODUCTION))).toEqual([
      { path: 'services.checkout.environments[0].promote', line: 8, message: 'must be one of: auto, manual' },
    ]);
  });

  it('requires a deploy step', () => {
    expect(
      problemsOf(withEnvironments('      - name: staging', '        promote: auto', ...PRODUCTION)),
    ).toEqual([{ path: 'services.checkout.environments[0].deploy', line: 6, message: 'is required' }]);
  });

  it('reports an unknown environment key and lists the allowed keys', () => {
    expect(problemsOf(withEnvironments(...STAGING, '        gate: manual', ...PRODUCTION))).toEqual([
      {
        path: 'services.checkout.environments[0].gate',
        line: 8,
        message:
          'unknown key; allowed keys are name, tests, promote, deploy, approval, rollback, monitor, soak',
      },
    ]);
  });

  it('reports the problems of every environment in one run', () => {
    const text = withEnvironments(
      '      - name: development',
      '        deploy: { run: ./deploy.sh, timeout: 5 }',
      '      - name: staging',
      '        deploy: { run: ./deploy.sh }',
      '        approval: { approvers: [U0CAROL] }',
      '      - name: production',
      '        deploy: { run: ./deploy.sh }',
    );

    expect(problemsOf(text).map((problem) => problem.line)).toEqual([7, 10, 11]);
  });
});
