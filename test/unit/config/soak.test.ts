import { describe, expect, it } from 'vitest';
import { environmentOf, PRODUCTION, problemsOf, withEnvironments } from './pipeline-text.js';

/** Staging (lines 6-8, its soak on line 8) before production (lines 9-11). */
function withStagingSoak(soak: string): string {
  return withEnvironments(
    '      - name: staging',
    '        deploy: { run: ./deploy.sh }',
    `        soak: ${soak}`,
    ...PRODUCTION,
  );
}

describe('soak in the pipeline file', () => {
  it('reads a soak on an environment before production, in milliseconds', () => {
    expect(environmentOf(withStagingSoak('1h'), 'staging').soakMs).toBe(3600_000);
    expect(environmentOf(withStagingSoak('90s'), 'staging').soakMs).toBe(90_000);
  });

  it('treats no soak, and a soak of zero, as moving on at once', () => {
    expect(environmentOf(withStagingSoak('0s'), 'staging')).not.toHaveProperty('soakMs');
    const without = withEnvironments(
      '      - name: staging',
      '        deploy: { run: ./deploy.sh }',
      ...PRODUCTION,
    );
    expect(environmentOf(without, 'staging')).not.toHaveProperty('soakMs');
  });

  it('reports a soak that is not a duration at its line', () => {
    expect(problemsOf(withStagingSoak('an hour'))).toEqual([
      {
        path: 'services.checkout.environments[0].soak',
        line: 8,
        message: '"an hour" is not a duration: expected a duration like 30s, 5m or 24h',
      },
    ]);
    expect(problemsOf(withStagingSoak('60'))).toEqual([
      {
        path: 'services.checkout.environments[0].soak',
        line: 8,
        message: '60 has no unit: write 60s for seconds, 60m for minutes or 60ms for milliseconds',
      },
    ]);
    expect(problemsOf(withStagingSoak('-1h'))).toEqual([
      {
        path: 'services.checkout.environments[0].soak',
        line: 8,
        message: '"-1h" is negative: expected a duration like 30s, 5m or 24h',
      },
    ]);
  });

  it('refuses a soak on production and says its analysis is what plays that part there', () => {
    expect(problemsOf(withEnvironments(...PRODUCTION, '        soak: 1h'))).toEqual([
      {
        path: 'services.checkout.environments[0].soak',
        line: 9,
        message:
          'soak is for the environments before production: in production the monitor analyses the rollout instead (monitor: { duration: … })',
      },
    ]);
  });
});
