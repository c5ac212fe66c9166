import { existsSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  isProcessAlive,
  isProcessGroupAlive,
  killProcessGroup,
  resolveStepIsolation,
  runCommandStep,
  toStepEnv,
} from '../../../src/steps/run/index.js';
import { createScriptDir, deferred, runStepOf, type ScriptDir, stepContext, waitUntil } from './helpers.js';

let dir: ScriptDir;
const leftovers: number[] = [];

beforeAll(async () => {
  dir = await createScriptDir();
});

afterEach(() => {
  for (const pgid of leftovers.splice(0)) killProcessGroup(pgid);
});

afterAll(async () => {
  await dir.remove();
});

function numberAfter(prefix: string, output: readonly string[]): number {
  const line = output.find((each) => each.startsWith(prefix));
  return Number(line?.slice(prefix.length));
}

describe('the run step driver', () => {
  it('passes when the command exits 0 and keeps its output', async () => {
    const script = await dir.script('ok.sh', 'echo "deploying"\necho "deployed"');

    const outcome = await runCommandStep(runStepOf([script]), stepContext(), {
      baseEnv: process.env,
      cwd: dir.path,
    });

    expect(outcome).toMatchObject({
      ok: true,
      exitCode: 0,
      timedOut: false,
      output: ['deploying', 'deployed'],
    });
    expect(outcome.error).toBeUndefined();
  });

  it('fails with the exit code and what the command printed on stdout and stderr', async () => {
    const script = await dir.script('fail.sh', 'echo "checking"\necho "health check failed" >&2\nexit 3');

    const outcome = await runCommandStep(runStepOf([script]), stepContext(), {
      baseEnv: process.env,
      cwd: dir.path,
    });

    expect(outcome).toMatchObject({ ok: false, exitCode: 3, timedOut: false, error: 'exited with code 3' });
    expect(outcome.output).toEqual(expect.arrayContaining(['checking', 'health check failed']));
  });

  it('keeps only the last 20 lines, each cut to 300 characters', async () => {
    const script = await dir.script(
      'chatty.sh',
      'i=1; while [ $i -le 100 ]; do echo "line $i"; i=$((i+1)); done\nprintf "%01000d\\n" 0',
    );

    const outcome = await runCommandStep(runStepOf([script]), stepContext(), {
      baseEnv: process.env,
      cwd: dir.path,
    });

    expect(outcome.output).toHaveLength(20);
    expect(outcome.output[0]).toBe('line 82');
    expect(outcome.output[18]).toBe('line 100');
    expect(outcome.output[19]).toHaveLength(300);
  });

  it('passes arguments as they are and runs in the given working directory', async () => {
    const script = await dir.script('args.sh', 'pwd\nfor arg in "$@"; do echo "arg: $arg"; done');

    const outcome = await runCommandStep(runStepOf([script, '$VERSION', 'two words']), stepContext(), {
      baseEnv: process.env,
      cwd: dir.path,
    });

    expect(outcome.output).toEqual([dir.path, 'arg: $VERSION', 'arg: two words']);
  });

  it('gives the step context as environment variables and hides the bot secrets', async () => {
    const secrets = {
      SLACK_BOT_TOKEN: 'xoxb-secret',
      SLACK_SIGNING_SECRET: 'signing',
      SLACK_APP_TOKEN: 'xapp-secret',
      SLACK_API_URL: 'http://127.0.0.1:1/api/',
      PROMOTION_API_TOKEN: 'api-secret',
      REDIS_URL: 'redis://:password@127.0.0.1:6379',
    };
    const saved = Object.fromEntries(Object.keys(secrets).map((name) => [name, process.env[name]]));
    Object.assign(process.env, secrets, { PROMOTION_BOT_TEST_PLAIN: 'kept' });
    const script = await dir.script(
      'env.sh',
      [
        'echo "context: $SERVICE $VERSION $ENVIRONMENT $PREVIOUS_VERSION $WEIGHT [$COLOR] $PROMOTION_ID"',
        'echo "digest: $DIGEST"',
        'echo "plain: $PROMOTION_BOT_TEST_PLAIN"',
        'env | grep -E "^(SLACK_|PROMOTION_API_TOKEN|REDIS_URL)" || echo "no secrets"',
      ].join('\n'),
    );

    try {
      const outcome = await runCommandStep(runStepOf([script]), stepContext({ WEIGHT: '10' }), {
        baseEnv: process.env,
        cwd: dir.path,
      });

      expect(outcome.output).toEqual([
        'context: checkout 1.4.2 staging 1.4.1 10 [] prm_01',
        `digest: sha256:${'ab'.repeat(32)}`,
        'plain: kept',
        'no secrets',
      ]);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      delete process.env.PROMOTION_BOT_TEST_PLAIN;
    }
  });

  it('lets context values override variables of the same name in its own environment', () => {
    const env = toStepEnv({ VERSION: 'stale', PATH: '/bin', SLACK_ANYTHING: 'x' }, stepContext());

    expect(env).toMatchObject({ VERSION: '1.4.2', PATH: '/bin' });
    expect(env).not.toHaveProperty('SLACK_ANYTHING');
  });

  it('treats a hostile version as data', async () => {
    const hostile = '$(touch pwned-1)`touch pwned-2`"; touch pwned-3; echo \'\n--force';
    const script = await dir.script('print-version.sh', 'printf "%s\\n" "$VERSION"');

    const outcome = await runCommandStep(runStepOf([script]), stepContext({ VERSION: hostile }), {
      baseEnv: process.env,
      cwd: dir.path,
    });

    expect(outcome.ok).toBe(true);
    expect(outcome.output).toEqual(hostile.split('\n'));
    for (const file of ['pwned-1', 'pwned-2', 'pwned-3'])
      expect(existsSync(join(dir.path, file))).toBe(false);
  });

  it('fails without throwing when a context value cannot be passed to a process', async () => {
    const script = await dir.script('nul.sh', 'exit 0');

    const outcome = await runCommandStep(runStepOf([script]), stepContext({ VERSION: 'a\u0000b' }), {
      baseEnv: process.env,
      cwd: dir.path,
    });

    expect(outcome).toMatchObject({ ok: false, timedOut: false });
    expect(outcome.error).toMatch(/could not start/);
  });

  it('fails with a clear error when the command does not exist', async () => {
    const relative = await runCommandStep(runStepOf(['./no-such-script.sh']), stepContext(), {
      baseEnv: process.env,
      cwd: dir.path,
    });
    const onPath = await runCommandStep(runStepOf(['no-such-program-xyz']), stepContext(), {
      baseEnv: process.env,
      cwd: dir.path,
    });

    expect(relative).toMatchObject({ ok: false, timedOut: false, output: [] });
    expect(relative.error).toBe(
      `command not found: ./no-such-script.sh (no such file, relative to ${dir.path})`,
    );
    expect(onPath.error).toBe('command not found: no-such-program-xyz (not on PATH)');
  });

  it('says so when the working directory does not exist', async () => {
    const missing = join(dir.path, 'missing');

    const outcome = await runCommandStep(runStepOf(['true']), stepContext(), {
      baseEnv: process.env,
      cwd: missing,
    });

    expect(outcome).toMatchObject({ ok: false, error: `working directory ${missing} does not exist` });
  });

  it('tells the user to make a script executable when it is not', async () => {
    const script = await dir.script('not-executable.sh', 'exit 0');
    await chmod(join(dir.path, 'not-executable.sh'), 0o644);

    const outcome = await runCommandStep(runStepOf([script]), stepContext(), {
      baseEnv: process.env,
      cwd: dir.path,
    });

    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/permission denied running \.\/not-executable\.sh: is it executable/);
  });

  it('reports the signal that killed the command', async () => {
    const script = await dir.script('crash.sh', 'kill -KILL $$');

    const outcome = await runCommandStep(runStepOf([script]), stepContext(), {
      baseEnv: process.env,
      cwd: dir.path,
    });

    expect(outcome).toMatchObject({ ok: false, signal: 'SIGKILL', error: 'killed by SIGKILL' });
    expect(outcome.exitCode).toBeUndefined();
  });

  it('kills the whole process group, grandchildren included, when the step times out', async () => {
    const script = await dir.script('hang.sh', 'sleep 30 &\necho "grandchild $!"\nwait');
    const started = deferred<number>();

    const outcome = await runCommandStep(runStepOf([script], 500), stepContext(), {
      baseEnv: process.env,
      cwd: dir.path,
      onStart: (pid) => started.resolve(pid),
    });
    const pgid = await started.promise;
    leftovers.push(pgid);
    const grandchild = numberAfter('grandchild ', outcome.output);

    expect(outcome).toMatchObject({ ok: false, timedOut: true, signal: 'SIGTERM' });
    expect(outcome.error).toBe('timed out after 500ms; its process group was stopped');
    expect(grandchild).toBeGreaterThan(1);
    await waitUntil(
      () => !isProcessAlive(grandchild) && !isProcessGroupAlive(pgid),
      1_000,
      'the group to die',
    );
  });

  it('SIGKILLs processes that ignore SIGTERM once the grace period is over', async () => {
    const script = await dir.script(
      'stubborn.sh',
      'trap \'\' TERM\nsh -c "trap \'\' TERM; sleep 30" &\necho "grandchild $!"\nwhile :; do sleep 0.05; done',
    );
    const started = deferred<number>();

    const outcome = await runCommandStep(runStepOf([script], 300), stepContext(), {
      baseEnv: process.env,
      cwd: dir.path,
      killGraceMs: 300,
      onStart: (pid) => started.resolve(pid),
    });
    const pgid = await started.promise;
    leftovers.push(pgid);

    expect(outcome).toMatchObject({ ok: false, timedOut: true, signal: 'SIGKILL' });
    await waitUntil(() => !isProcessGroupAlive(pgid), 1_000, 'the group to die');
    expect(isProcessAlive(numberAfter('grandchild ', outcome.output))).toBe(false);
  });

  it('stops the step when its abort signal fires', async () => {
    const script = await dir.script('long.sh', 'echo "started"\nsleep 30');
    const controller = new AbortController();

    const running = runCommandStep(runStepOf([script]), stepContext(), {
      baseEnv: process.env,
      cwd: dir.path,
      signal: controller.signal,
      onStart: (pid) => {
        leftovers.push(pid);
        controller.abort('worker shutting down');
      },
    });
    const outcome = await running;

    expect(outcome).toMatchObject({ ok: false, timedOut: false });
    expect(outcome.error).toBe('cancelled (worker shutting down); its process group was stopped');
    const [pgid] = leftovers;
    expect(pgid === undefined ? false : isProcessGroupAlive(pgid)).toBe(false);
  });

  it('does not start a step whose abort signal has already fired', async () => {
    const script = await dir.script('never.sh', 'touch started');

    const outcome = await runCommandStep(runStepOf([script]), stepContext(), {
      baseEnv: process.env,
      cwd: dir.path,
      signal: AbortSignal.abort(),
    });

    expect(outcome).toMatchObject({ ok: false, error: 'cancelled before it started' });
    expect(existsSync(join(dir.path, 'started'))).toBe(false);
  });

  it('does not wait for background processes that keep its output open', async () => {
    const script = await dir.script('daemon.sh', 'sleep 30 &\necho "started the daemon"');
    const started = deferred<number>();

    const outcome = await runCommandStep(runStepOf([script], 10_000), stepContext(), {
      baseEnv: process.env,
      cwd: dir.path,
      onStart: (pid) => started.resolve(pid),
    });
    const pgid = await started.promise;

    expect(outcome).toMatchObject({ ok: true, output: ['started the daemon'] });
    expect(outcome.durationMs).toBeLessThan(5_000);
    expect(isProcessGroupAlive(pgid)).toBe(true);
    expect(killProcessGroup(pgid)).toBe(true);
    await waitUntil(() => !isProcessGroupAlive(pgid), 1_000, 'the group to die');
    expect(killProcessGroup(pgid)).toBe(false);
  });

  it('kills an orphaned step by its process group id', async () => {
    const script = await dir.script('orphan.sh', 'sleep 30 &\nsleep 30');
    const started = deferred<number>();
    const running = runCommandStep(runStepOf([script]), stepContext(), {
      baseEnv: process.env,
      cwd: dir.path,
      onStart: (pid) => started.resolve(pid),
    });
    const pgid = await started.promise;

    expect(isProcessGroupAlive(pgid)).toBe(true);
    expect(killProcessGroup(pgid)).toBe(true);
    const outcome = await running;

    expect(outcome).toMatchObject({ ok: false, signal: 'SIGKILL' });
    await waitUntil(() => !isProcessGroupAlive(pgid), 1_000, 'the group to die');
  });

  it('fails a step that has no command', async () => {
    const outcome = await runCommandStep(runStepOf([]), stepContext(), {
      baseEnv: process.env,
      cwd: dir.path,
    });

    expect(outcome).toMatchObject({ ok: false, error: 'the step has no command to run' });
  });
});

// CI and the image run the bot as root, so steps run as an unprivileged user: that must hold here too, or these
// tests would pass without ever switching users.
describe('the run step driver, as root, with steps as another user', () => {
  function stepUser() {
    expect(process.getuid?.(), 'these tests need root, as CI and the image have').toBe(0);
    const isolation = resolveStepIsolation(undefined);
    if (!isolation.separate) throw new Error(`steps are not separated: ${isolation.reason}`);
    return isolation.identity;
  }

  beforeAll(async () => {
    // The step user must be able to enter the directory and run its scripts.
    await chmod(dir.path, 0o755);
  });

  it("runs the step as that user, with only its primary group, its home and name, in the pipeline's directory", async () => {
    const user = stepUser();
    const script = await dir.script('whoami.sh', 'id -u\nid -g\nid -G\necho "$HOME $USER $LOGNAME"\npwd');

    const outcome = await runCommandStep(runStepOf([script]), stepContext(), {
      baseEnv: process.env,
      cwd: dir.path,
      runAs: user,
    });

    expect(user.uid).not.toBe(0);
    expect(outcome.output).toEqual([
      String(user.uid),
      String(user.gid),
      String(user.gid),
      `${user.home} ${user.name} ${user.name}`,
      dir.path,
    ]);
  });

  it("stops the whole process group of another user's step when it times out", async () => {
    const user = stepUser();
    const script = await dir.script('hang-as-user.sh', 'sleep 30 &\necho "grandchild $!"\nwait');
    const started = deferred<number>();

    const outcome = await runCommandStep(runStepOf([script], 500), stepContext(), {
      baseEnv: process.env,
      cwd: dir.path,
      runAs: user,
      onStart: (pid) => started.resolve(pid),
    });
    const pgid = await started.promise;
    leftovers.push(pgid);
    const grandchild = numberAfter('grandchild ', outcome.output);

    expect(outcome).toMatchObject({ ok: false, timedOut: true, signal: 'SIGTERM' });
    expect(grandchild).toBeGreaterThan(1);
    await waitUntil(
      () => !isProcessAlive(grandchild) && !isProcessGroupAlive(pgid),
      1_000,
      'the group to die',
    );
  });
});
