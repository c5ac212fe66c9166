// Every step driver keeps the same promises, whatever it runs: these run against each one through the registry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Step } from '../../../src/domain/pipeline.js';
import { runStep, stepDrivers } from '../../../src/steps/registry.js';
import { startHttpServer } from '../../support/http-server.js';
import { createScriptDir, httpStepOf, runStepOf, stepContext } from './helpers.js';

type DriverFixture = {
  cwd: string;
  succeeding: Step;
  /** Fails and says `failure detail` in its output. */
  failing: Step;
  /** Never finishes on its own; its timeout is 500 ms. */
  hanging: Step;
  tearDown(): Promise<void>;
};

const drivers: { kind: string; setUp(): Promise<DriverFixture> }[] = [
  {
    kind: 'run',
    async setUp() {
      const dir = await createScriptDir();
      return {
        cwd: dir.path,
        succeeding: runStepOf([await dir.script('pass.sh', 'echo "all good"')]),
        failing: runStepOf([await dir.script('fail.sh', 'echo "failure detail" >&2\nexit 1')]),
        hanging: runStepOf([await dir.script('hang.sh', 'sleep 30')], 500),
        tearDown: () => dir.remove(),
      };
    },
  },
  {
    kind: 'http',
    async setUp() {
      const server = await startHttpServer((request, response) => {
        if (request.url === '/hang') return;
        response.statusCode = request.url === '/fail' ? 500 : 200;
        response.end(request.url === '/fail' ? 'failure detail' : 'all good');
      });
      return {
        cwd: process.cwd(),
        succeeding: httpStepOf(`${server.url}/pass`),
        failing: httpStepOf(`${server.url}/fail`),
        hanging: httpStepOf(`${server.url}/hang`, { timeoutMs: 500 }),
        tearDown: () => server.close(),
      };
    },
  },
];

describe.each(drivers)('the $kind step driver', ({ setUp }) => {
  let fixture: DriverFixture | undefined;

  function given(): DriverFixture {
    if (fixture === undefined) throw new Error('the fixture was not set up');
    return fixture;
  }

  beforeAll(async () => {
    fixture = await setUp();
  });

  afterAll(async () => {
    await fixture?.tearDown();
  });

  it('reports success without an error', async () => {
    const { succeeding, cwd } = given();

    const outcome = await runStep(succeeding, stepContext(), { baseEnv: process.env, cwd });

    expect(outcome).toMatchObject({ ok: true, timedOut: false });
    expect(outcome.error).toBeUndefined();
    expect(outcome.output.join('\n')).toContain('all good');
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('reports a failure with an error and the output that explains it', async () => {
    const { failing, cwd } = given();

    const outcome = await runStep(failing, stepContext(), { baseEnv: process.env, cwd });

    expect(outcome).toMatchObject({ ok: false, timedOut: false });
    expect(outcome.error).toEqual(expect.any(String));
    expect(outcome.output.join('\n')).toContain('failure detail');
  });

  it('reports a timeout once the step has run for its timeout', async () => {
    const { hanging, cwd } = given();

    const outcome = await runStep(hanging, stepContext(), { baseEnv: process.env, cwd });

    expect(outcome).toMatchObject({ ok: false, timedOut: true });
    expect(outcome.error).toMatch(/timed out after 500ms/);
    expect(outcome.durationMs).toBeGreaterThanOrEqual(450);
    expect(outcome.durationMs).toBeLessThan(3_000);
  });

  it('keeps its output within 20 lines of at most 300 characters', async () => {
    const { failing, cwd } = given();

    const outcome = await runStep(failing, stepContext(), { baseEnv: process.env, cwd });

    expect(outcome.output.length).toBeLessThanOrEqual(20);
    for (const line of outcome.output) expect(line.length).toBeLessThanOrEqual(300);
  });
});

describe('the step driver registry', () => {
  it('has a driver for every kind of step', () => {
    expect([...stepDrivers.keys()].sort()).toEqual(['http', 'run']);
  });

  it('rejects an unknown kind of step and lists the valid ones', async () => {
    const unknown: Step = JSON.parse('{"kind":"ftp","url":"ftp://example"}');

    await expect(
      runStep(unknown, stepContext(), { baseEnv: process.env, cwd: process.cwd() }),
    ).rejects.toThrow('unknown step kind "ftp": valid kinds are run, http');
  });
});
