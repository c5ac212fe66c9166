import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  formatPath,
  formatProblems,
  loadPipelineFile,
  type PipelineProblem,
  parsePipeline,
} from '../../../src/config/load-pipeline.js';
import type { Service } from '../../../src/domain/pipeline.js';
import { PRODUCTION, problemsOf, SERVICE_HEADER, withEnvironments, yaml } from './pipeline-text.js';

const EXAMPLE_FILE = new URL('../../../pipeline.example.yml', import.meta.url);

const RUN_DEFAULTS = { kind: 'run', retries: 0, retryBackoffMs: 1000 } as const;
const ALL_AT_ONCE = { strategy: 'all-at-once', steps: [{ weight: 100, pauseMs: 0 }] } as const;

const EXPECTED_CHECKOUT: Service = {
  name: 'checkout',
  channel: 'C0DEPLOYS',
  alertChannel: 'C0ONCALL',
  owners: ['U0ALICE', 'S0SREGROUP'],
  compareUrl: 'https://github.com/acme/checkout/compare/{from}...{to}',
  freezes: [
    {
      name: 'year-end',
      environments: ['production'],
      schedule: { kind: 'once', from: '2026-12-21T00:00:00.000Z', until: '2027-01-04T00:00:00.000Z' },
    },
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
  ],
  environments: [
    {
      name: 'development',
      deploy: { ...RUN_DEFAULTS, command: ['./deploy.sh'], timeoutMs: 300_000, ...ALL_AT_ONCE },
      tests: [{ ...RUN_DEFAULTS, name: 'smoke', command: ['./smoke.sh'], timeoutMs: 120_000 }],
      promote: 'auto',
    },
    {
      name: 'staging',
      deploy: { ...RUN_DEFAULTS, command: ['./deploy.sh'], timeoutMs: 600_000, ...ALL_AT_ONCE },
      tests: [
        { ...RUN_DEFAULTS, name: 'acceptance', command: ['./acceptance.sh'], timeoutMs: 600_000 },
        { ...RUN_DEFAULTS, name: 'load', command: ['./load.sh'], timeoutMs: 600_000 },
      ],
      promote: 'auto',
    },
    {
      name: 'production',
      deploy: {
        ...RUN_DEFAULTS,
        command: ['./deploy.sh'],
        timeoutMs: 600_000,
        strategy: 'canary',
        steps: [
          { weight: 10, pauseMs: 300_000 },
          { weight: 50, pauseMs: 600_000 },
          { weight: 100, pauseMs: 0 },
        ],
      },
      tests: [],
      promote: 'auto',
      approval: {
        approvers: ['U0CAROL', 'S0RELEASE'],
        required: 1,
        allowSelfApproval: false,
        expiresAfterMs: 86_400_000,
      },
      rollback: { ...RUN_DEFAULTS, command: ['./rollback.sh'], timeoutMs: 600_000 },
      monitor: {
        intervalMs: 30_000,
        failureLimit: 2,
        inconclusiveLimit: 3,
        initialDelayMs: 0,
        durationMs: 300_000,
        metrics: [
          {
            name: 'error-rate',
            query: {
              kind: 'prometheus',
              url: 'http://prometheus:9090',
              query: 'sum(rate(http_errors_total{version="$VERSION"}[1m]))',
            },
            max: 0.01,
          },
          {
            name: 'latency-p99',
            query: { kind: 'http', url: 'http://metrics.internal/p99', jsonPath: 'value', headers: {} },
            max: 0.4,
          },
        ],
      },
    },
  ],
};

function onlyProblem(text: string): PipelineProblem {
  const result = parsePipeline(text);
  if (result.ok || result.problems.length !== 1 || !result.problems[0])
    throw new Error('expected exactly one problem');
  return result.problems[0];
}

describe('parsePipeline', () => {
  it('parses the example pipeline into the domain values', async () => {
    const result = parsePipeline(await readFile(EXAMPLE_FILE, 'utf8'));

    expect(result.ok).toBe(true);
    expect(result.ok && [...result.pipeline.services.entries()]).toEqual([['checkout', EXPECTED_CHECKOUT]]);
  });

  it('reports a YAML syntax error with its line', () => {
    const problem = onlyProblem(
      yaml('services:', '  checkout:', '    owners: [U0ALICE', '    channel: C0DEPLOYS'),
    );

    expect(problem).toMatchObject({
      line: 4,
      column: 5,
      message: expect.stringMatching(/^YAML syntax error: /),
    });
  });

  it('reports a duplicate key with its line and path', () => {
    const text = withEnvironments(...PRODUCTION).replace('    owners:', '    channel: C0OTHER\n    owners:');

    expect(problemsOf(text)).toEqual([
      {
        path: 'services.checkout.channel',
        line: 4,
        message: 'duplicate key: each key may appear only once in a map',
      },
    ]);
  });

  it('reports a duplicate key in a flow map, and each repeat of it', () => {
    const text = withEnvironments(...PRODUCTION).replace(
      '    owners:',
      '    labels: { team: a, tier: b, team: c, team: d }\n    owners:',
    );

    expect(problemsOf(text).map(({ path, message }) => ({ path, message }))).toEqual([
      {
        path: 'services.checkout.labels.team',
        message: 'duplicate key: each key may appear only once in a map',
      },
      {
        path: 'services.checkout.labels.team',
        message: 'duplicate key: each key may appear only once in a map',
      },
    ]);
  });

  it('reports an alias without an anchor', () => {
    expect(problemsOf(yaml('services: *shared'))).toEqual([
      {
        path: '',
        line: 1,
        message: 'YAML error: Unresolved alias (the anchor must be set before the alias): shared',
      },
    ]);
  });

  it('reports the line and column of an unknown key', () => {
    const text = withEnvironments(...PRODUCTION, '        gate: manual');

    expect(onlyProblem(text)).toEqual({
      path: 'services.checkout.environments[0].gate',
      line: 9,
      column: 9,
      message:
        'unknown key; allowed keys are name, tests, promote, deploy, approval, rollback, monitor, soak',
    });
  });

  it('reports each unknown key of a map on its own line', () => {
    const text = withEnvironments(...PRODUCTION, '        gate: manual', '        owner: U0ALICE');

    expect(problemsOf(text).map(({ path, line }) => [path, line])).toEqual([
      ['services.checkout.environments[0].gate', 9],
      ['services.checkout.environments[0].owner', 10],
    ]);
  });

  it('points at the value of a key that is invalid', () => {
    const text = withEnvironments(...PRODUCTION).replace('channel: C0DEPLOYS', 'channel: deploys');

    expect(onlyProblem(text)).toMatchObject({ path: 'services.checkout.channel', line: 3, column: 14 });
  });

  it('points a missing key in a flow map at the map', () => {
    const text = withEnvironments(
      '      - name: production',
      '        deploy: { run: ./deploy.sh }',
      '        approval: { required: 1 }',
    );

    expect(onlyProblem(text)).toEqual({
      path: 'services.checkout.environments[0].approval.approvers',
      line: 8,
      column: 19,
      message: 'is required',
    });
  });

  it('reports all problems in the order of the file', () => {
    const text = yaml(
      'services:',
      '  checkout:',
      '    channel: deploys',
      '    owners: [alice]',
      '    environments:',
      '      - name: production',
      '        deploy: { run: ./deploy.sh, retries: 20 }',
      '        approval: { approvers: [U0CAROL], required: 0 }',
    );

    expect(problemsOf(text).map(({ path, line }) => [path, line])).toEqual([
      ['services.checkout.channel', 3],
      ['services.checkout.owners[0]', 4],
      ['services.checkout.environments[0].deploy.retries', 7],
      ['services.checkout.environments[0].approval.required', 8],
    ]);
  });

  it('reports the problems of every service', () => {
    const text = yaml(
      ...SERVICE_HEADER,
      ...PRODUCTION,
      '  payments:',
      '    channel: C0PAY',
      '    owners: [U0ALICE]',
      '    environments:',
      '      - name: production',
      '        deploy: { run: ./deploy.sh, timeout: 0s }',
      '        approval: { approvers: [U0CAROL] }',
    );

    expect(problemsOf(text)).toEqual([
      {
        path: 'services.payments.environments[0].deploy.timeout',
        line: 14,
        message: 'must be longer than 0: expected a duration like 30s, 5m or 24h',
      },
    ]);
  });

  it('rejects an extra top-level key even when it only holds an anchor', () => {
    const text = yaml(
      'x-deploy: &deploy { run: ./deploy.sh, timeout: 1m }',
      'services:',
      '  checkout:',
      '    channel: C0DEPLOYS',
      '    owners: [U0ALICE]',
      '    environments:',
      '      - name: production',
      '        deploy: { <<: *deploy, retries: 1 }',
      '        approval: { approvers: [U0CAROL] }',
    );

    expect(problemsOf(text)).toEqual([
      { path: 'x-deploy', line: 1, message: 'unknown key; allowed keys are freezes, services' },
    ]);
  });

  it('follows YAML anchors and merge keys', () => {
    const text = yaml(
      'services:',
      '  checkout:',
      '    channel: C0DEPLOYS',
      '    owners: [U0ALICE]',
      '    environments:',
      '      - name: production',
      '        deploy: &deploy { run: ./deploy.sh, timeout: 1m }',
      '        rollback: { <<: *deploy, run: ./rollback.sh }',
      '        approval: { approvers: [U0CAROL] }',
    );
    const result = parsePipeline(text);

    expect(result.ok && result.pipeline.services.get('checkout')?.environments[0]?.rollback).toMatchObject({
      command: ['./rollback.sh'],
      timeoutMs: 60_000,
    });
  });
});

describe('formatPath', () => {
  it('writes list indexes in brackets', () => {
    expect(formatPath(['services', 'checkout', 'environments', 2, 'approval', 'required'])).toBe(
      'services.checkout.environments[2].approval.required',
    );
  });

  it('quotes keys that would be ambiguous with dots', () => {
    expect(formatPath(['services', 'api.v2', 'channel'])).toBe('services["api.v2"].channel');
  });
});

describe('formatProblems', () => {
  it('writes one line per problem with file, line, column and path', () => {
    const problems = [
      {
        path: 'services.checkout.environments[2].approval.required',
        line: 12,
        column: 9,
        message: 'must be at least 1',
      },
      { path: '', line: 1, column: 1, message: 'the pipeline file is empty: it needs a services: map' },
    ];

    expect(formatProblems(problems, 'pipeline.yml')).toEqual([
      'pipeline.yml:12:9 services.checkout.environments[2].approval.required: must be at least 1',
      'pipeline.yml:1:1 the pipeline file is empty: it needs a services: map',
    ]);
  });

  it('leaves out the position of a problem with the file itself', () => {
    expect(
      formatProblems([{ path: '', line: 0, column: 0, message: 'no pipeline file' }], 'pipeline.yml'),
    ).toEqual(['pipeline.yml: no pipeline file']);
  });
});

describe('loadPipelineFile', () => {
  it('loads and parses a file', async () => {
    const result = await loadPipelineFile(fileURLToPath(EXAMPLE_FILE));

    expect(result.ok && [...result.pipeline.services.keys()]).toEqual(['checkout']);
  });

  it('says which path it tried and how to point it elsewhere when the file is missing', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'promotion-bot-config-'));
    const file = join(directory, 'missing.yml');

    expect(await loadPipelineFile(file)).toEqual({
      ok: false,
      problems: [
        {
          path: '',
          line: 0,
          column: 0,
          message: `no pipeline file at ${resolve(file)}: create it, or set PIPELINE_FILE to the path of your pipeline file`,
        },
      ],
    });
  });

  it('reports the problems of the file it read', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'promotion-bot-config-'));
    const file = join(directory, 'pipeline.yml');
    await writeFile(file, yaml('services:', '  checkout: []'));

    expect(await loadPipelineFile(file)).toEqual({
      ok: false,
      problems: [
        {
          path: 'services.checkout',
          line: 2,
          column: 13,
          message: 'must be a map of key: value, not a list',
        },
      ],
    });
  });
});
