import { describe, expect, it } from 'vitest';
import { checkoutOf, PRODUCTION, pipelineOf, problemsOf, SERVICE_HEADER, yaml } from './pipeline-text.js';

/** The checkout service (lines 1-8) with these lines of its own freezes from line 9. */
function withFreezes(...lines: string[]): string {
  return yaml(...SERVICE_HEADER, ...PRODUCTION, '    freezes:', ...lines);
}

describe('freeze windows in the pipeline file', () => {
  it('reads a recurring window in its time zone, for production unless it names environments', () => {
    const service = checkoutOf(
      withFreezes(
        '      - name: weekend',
        '        cron: "0 18 * * FRI"',
        '        duration: 62h',
        '        timezone: Europe/Berlin',
      ),
    );

    expect(service.freezes).toEqual([
      {
        name: 'weekend',
        environments: ['production'],
        schedule: {
          kind: 'recurring',
          cron: '0 18 * * FRI',
          durationMs: 62 * 3600_000,
          timezone: 'Europe/Berlin',
        },
      },
    ]);
  });

  it('reads a top-level one-off window for every service, or the services it names', () => {
    const text = yaml(
      'freezes:',
      '  - name: year-end',
      '    from: 2026-12-21T00:00:00+01:00',
      '    until: 2027-01-04T00:00:00Z',
      '    services: [checkout]',
      ...SERVICE_HEADER,
      ...PRODUCTION,
    );

    expect(pipelineOf(text).services.get('checkout')?.freezes).toEqual([
      {
        name: 'year-end',
        environments: ['production'],
        schedule: { kind: 'once', from: '2026-12-20T23:00:00.000Z', until: '2027-01-04T00:00:00.000Z' },
      },
    ]);
  });

  it('reports a bad cron expression and an unknown time zone at their lines', () => {
    expect(
      problemsOf(
        withFreezes(
          '      - name: weekend',
          '        cron: "0 25 * * FRI"',
          '        duration: 62h',
          '        timezone: Europe/Belin',
        ),
      ),
    ).toEqual([
      {
        path: 'services.checkout.freezes[0].cron',
        line: 11,
        message: expect.stringMatching(/^"0 25 \* \* FRI" is not a cron expression: .*hour/),
      },
      {
        path: 'services.checkout.freezes[0].timezone',
        line: 13,
        message: '"Europe/Belin" is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)',
      },
    ]);
  });

  it('wants five cron fields, a duration, and one kind of window', () => {
    expect(
      problemsOf(withFreezes('      - name: n', '        cron: "0 0 18 * * FRI"', '        duration: 1h')),
    ).toEqual([
      {
        path: 'services.checkout.freezes[0].cron',
        line: 11,
        message: expect.stringMatching(/has 6 fields; a cron expression here has 5/),
      },
    ]);
    expect(problemsOf(withFreezes('      - name: n', '        cron: "0 18 * * FRI"'))).toEqual([
      {
        path: 'services.checkout.freezes[0]',
        line: 10,
        message: 'a window needs from and until (one-off) or cron and duration (recurring)',
      },
    ]);
    expect(
      problemsOf(
        withFreezes('      - name: n', '        from: 2026-12-21T00:00:00Z', '        cron: "0 18 * * FRI"'),
      ),
    ).toMatchObject([
      {
        message: 'a window is either one-off (from, until) or recurring (cron, duration, timezone), not both',
      },
    ]);
  });

  it('wants until after from, dates with an offset, and environments and services that exist', () => {
    expect(
      problemsOf(
        withFreezes(
          '      - name: n',
          '        from: 2026-12-21T00:00:00Z',
          '        until: 2026-12-20T00:00:00Z',
        ),
      ),
    ).toEqual([
      { path: 'services.checkout.freezes[0].until', line: 12, message: 'until must be later than from' },
    ]);
    expect(
      problemsOf(
        withFreezes('      - name: n', '        from: 2026-12-21', '        until: 2026-12-22T00:00:00Z'),
      ),
    ).toMatchObject([{ path: 'services.checkout.freezes[0].from', line: 11 }]);
    expect(
      problemsOf(
        withFreezes(
          '      - name: n',
          '        cron: "0 18 * * FRI"',
          '        duration: 1h',
          '        environments: [staging]',
        ),
      ),
    ).toEqual([
      {
        path: 'services.checkout.freezes[0].environments[0]',
        line: 13,
        message: 'names no environment of this service (environments: production)',
      },
    ]);
    expect(
      problemsOf(
        yaml(
          'freezes:',
          '  - { name: n, cron: "0 1 * * *", duration: 1h, services: [payments] }',
          ...SERVICE_HEADER,
          ...PRODUCTION,
        ),
      ),
    ).toMatchObject([
      {
        path: 'freezes[0].services[0]',
        line: 2,
        message: 'names no service of this file (services: checkout)',
      },
    ]);
  });
});
