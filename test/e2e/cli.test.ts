import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnBot } from '../support/bot-process.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';
import { freePort } from '../support/redis-server.js';
import { nextDigest, startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';
import { createWorkspace, testPipeline, type Workspace } from '../support/workspace.js';

// `promotion-bot` as CI and operators run it: a real child process, its exit code and what it prints.

let workspace: Workspace;
let pipelineFile: string;
let bot: TestBot;

beforeAll(async () => {
  workspace = await createWorkspace();
  pipelineFile = await workspace.writePipeline(testPipeline({ prometheusUrl: 'http://127.0.0.1:9' }));
  bot = await startTestBot({ pipelineFile, role: 'web' });
});

afterAll(async () => {
  await bot?.shutdown();
  await workspace?.remove();
});

async function run(args: readonly string[], env: Record<string, string> = {}) {
  const child = spawnBot(args, env);
  const code = await child.exited;
  return { code, output: child.output(), stdout: child.stdout() };
}

const BROKEN = `services:
  checkout:
    channel: C0DEPLOYS
    owners: [U0ALICE]
    colour: blue
    environments:
      - name: development
        deploy: { run: ./deploy.sh, timeout: 5 parsecs }
      - name: production
        deploy: { run: ./deploy.sh }
`;

describe('promotion-bot validate', () => {
  it('exits 0 with a one-line summary for a valid pipeline file', async () => {
    const result = await run(['validate', pipelineFile]);

    expect(result).toMatchObject({
      code: 0,
      output: `${pipelineFile}: OK — 1 service: checkout (development -> staging -> production)\n`,
    });
  });

  it('checks $PIPELINE_FILE when no file is named', async () => {
    const result = await run(['validate'], { PIPELINE_FILE: pipelineFile });

    expect(result.code).toBe(0);
    expect(result.output).toContain(`${pipelineFile}: OK`);
  });

  it('exits 1 and prints each problem as file:line:col path: message', async () => {
    const file = join(workspace.dir, 'broken.yml');
    await writeFile(file, BROKEN);

    const result = await run(['validate', file]);

    expect(result.code).toBe(1);
    expect(result.output.trimEnd().split('\n')).toEqual([
      `${file}:5:5 services.checkout.colour: unknown key; allowed keys are channel, alertChannel, owners, environments, freezes, compareUrl`,
      `${file}:8:46 services.checkout.environments[0].deploy.timeout: "5 parsecs" is not a duration: expected a duration like 30s, 5m or 24h`,
      `${file}:9:9 services.checkout.environments[1].approval: is required on production (the last environment): nothing reaches production without an explicit approval, so add approval: { approvers: [U…] }`,
    ]);
  });

  it('exits 1 naming a file that does not exist', async () => {
    const file = join(workspace.dir, 'missing.yml');

    const result = await run(['validate', file]);

    expect(result.code).toBe(1);
    expect(result.output).toContain(`no pipeline file at ${file}`);
  });
});

describe('promotion-bot publish', () => {
  const digest = nextDigest();
  const publish = (version: string, digestOf: string, env: Record<string, string> = {}) =>
    run(
      ['publish', '--service', 'checkout', '--version', version, '--digest', digestOf, '--api', bot.url],
      env,
    );

  it('exits 0 and prints the id of the new promotion, which the API then shows', async () => {
    const result = await publish('1.0.0', digest);

    expect(result.code).toBe(0);
    const id = /promotion (\S+) \(/.exec(result.output)?.[1] ?? '';
    expect(result.output).toBe(`published: checkout 1.0.0 -> promotion ${id} (running)\n`);
    const promotion = await bot.api('GET', `/api/promotions/${id}`);
    expect(promotion.status).toBe(200);
    expect(promotion.body).toMatchObject({ service: 'checkout', version: '1.0.0', digest });
  });

  it('exits 0 saying it was already published when the identical artifact is published again', async () => {
    const result = await publish('1.0.0', digest);

    expect(result.code).toBe(0);
    expect(result.output).toMatch(/^already published: checkout 1\.0\.0 -> promotion \S+ \(\w+\)\n$/);
  });

  it('exits 1 with the server’s message, not its JSON, when the version was published with another digest', async () => {
    const result = await publish('1.0.0', nextDigest());

    expect(result.code).toBe(1);
    expect(result.output).toMatch(
      /^publish failed: HTTP 409: checkout 1\.0\.0 was already published with digest sha256:[0-9a-f]{64} \(promotion \S+\); versions are immutable: publish a new version\n$/,
    );
  });

  it('exits 1 with the server’s message for a service the pipeline does not have', async () => {
    const result = await run([
      'publish',
      '--service',
      'billing',
      '--version',
      '1.0.0',
      '--digest',
      nextDigest(),
      '--api',
      bot.url,
    ]);

    expect(result).toMatchObject({
      code: 1,
      output: 'publish failed: HTTP 404: unknown service "billing" (known: checkout)\n',
    });
  });

  it('exits 2 naming each missing option, before calling the API', async () => {
    const result = await run(['publish', '--service', 'checkout', '--api', bot.url]);

    expect(result).toMatchObject({
      code: 2,
      output: [
        "missing --version: the artifact's version, e.g. --version 1.4.2",
        'missing --digest: its digest, sha256: and 64 lowercase hex digits',
        'promotion-bot publish --help lists the options',
        '',
      ].join('\n'),
    });
  });

  it('exits 2 naming an unknown option or one without a value', async () => {
    const unknown = await run(['publish', '--service', 'checkout', '--verison', '1.0.4']);
    const empty = await run(['publish', '--service', 'checkout', '--version', '--digest', nextDigest()]);

    expect(unknown.code).toBe(2);
    expect(unknown.output).toContain(
      'unknown option --verison (options: --service, --version, --digest, --commit, --url, --notes, --api, --dry-run)',
    );
    expect(empty.code).toBe(2);
    expect(empty.output).toContain('--version needs a value');
  });

  it('exits 2 naming PROMOTION_API_TOKEN when it is not set', async () => {
    const result = await publish('1.0.1', nextDigest(), { PROMOTION_API_TOKEN: '' });

    expect(result.code).toBe(2);
    expect(result.output).toContain('PROMOTION_API_TOKEN is required');
  });

  it('exits 2 naming --digest when the digest is malformed, before calling the API', async () => {
    const result = await publish('1.0.2', 'sha256:not-hex');

    expect(result.code).toBe(2);
    expect(result.output).toContain('--digest: digest must be "sha256:" followed by 64 lowercase hex digits');
    const listed = await bot.api('GET', '/api/promotions?service=checkout');
    expect(listed.body.promotions.map((p: { version: string }) => p.version)).not.toContain('1.0.2');
  });

  it('exits 1 when the API rejects the token, saying why', async () => {
    const result = await publish('1.0.3', nextDigest(), { PROMOTION_API_TOKEN: 'wrong-token-0123456789' });

    expect(result).toMatchObject({
      code: 1,
      output: 'publish failed: HTTP 401: missing or invalid bearer token (PROMOTION_API_TOKEN)\n',
    });
  });
});

describe('promotion-bot publish --dry-run', () => {
  const publish = (version: string, digestOf: string) =>
    run(['publish', '--service', 'checkout', '--version', version, '--digest', digestOf, '--api', bot.url]);
  const dryRun = (version: string, digestOf: string) =>
    run([
      'publish',
      '--service',
      'checkout',
      '--version',
      version,
      '--digest',
      digestOf,
      '--api',
      bot.url,
      '--dry-run',
    ]);

  it('prints the plan of each environment, exits 0 and publishes nothing', async () => {
    const digest = nextDigest();

    const result = await dryRun('3.0.0', digest);

    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(
      new RegExp(
        `^dry run: checkout 3\\.0\\.0 \\(${digest}\\), planned \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC; nothing was created$`,
      ),
    );
    expect(lines[1]).toBe('publishing would start a new promotion');
    expect(lines).toContain('development: runs nothing yet');
    expect(lines).toContain('production: runs nothing yet');
    expect(result.stdout).toMatch(
      /^ {2}gate {8}1 approval of U0CAROL, U0DAVE; expires after 1h; not by who promoted it$/m,
    );
    expect(result.stdout).toMatch(/^ {2}deploy {6}run \.\/deploy\.sh \(timeout 10m\), canary: canary 10% /m);
    expect(result.stdout).toMatch(/^ {2}test {8}acceptance: run /m);
    const listed = await bot.api('GET', '/api/promotions?service=checkout');
    expect(listed.body.promotions.map((p: { version: string }) => p.version)).not.toContain('3.0.0');
  });

  it('exits 1 when publishing would be refused because the version has another digest', async () => {
    const first = await publish('3.1.0', nextDigest());
    expect(first.code).toBe(0);

    const result = await dryRun('3.1.0', nextDigest());

    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')[1]).toMatch(
      /^publishing would be refused: checkout 3\.1\.0 was already published with digest sha256:[0-9a-f]{64} \(promotion \S+\); versions are immutable/,
    );
  });

  it('is explained by publish --help and named in the usage', async () => {
    const help = await run(['publish', '--help']);
    const usage = await run(['--help']);

    expect(help.stdout).toMatch(/^ {2}--dry-run {10}print the plan \(each environment's steps, the gate/m);
    expect(help.stdout).toContain('A dry run exits 1 when publishing\nwould be refused.');
    expect(usage.stdout).toContain('[--dry-run]');
  });

  it('says an identical artifact is already published, and exits 0', async () => {
    const digest = nextDigest();
    await publish('3.2.0', digest);

    const result = await dryRun('3.2.0', digest);

    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[1]).toMatch(
      /^already published: promotion \S+, .+; publishing again starts nothing$/,
    );
  });
});

describe('promotion-bot start', () => {
  it('exits 1 naming a missing variable', async () => {
    const result = await run(['start', '--role', 'web'], {
      PIPELINE_FILE: pipelineFile,
      PROMOTION_API_TOKEN: '',
    });

    expect(result.code).toBe(1);
    expect(result.output).toContain('promotion-bot cannot start:\n  - PROMOTION_API_TOKEN is required');
  });

  it('exits 1 naming every missing or bad variable at once', async () => {
    const result = await run(['start', '--role', 'web'], {
      PIPELINE_FILE: pipelineFile,
      SLACK_BOT_TOKEN: '',
      REDIS_URL: 'http://127.0.0.1:6379',
      PORT: 'eighty',
    });

    expect(result.code).toBe(1);
    for (const name of ['SLACK_BOT_TOKEN', 'REDIS_URL', 'PORT']) {
      expect(result.output).toMatch(new RegExp(`^  - ${name} `, 'm'));
    }
  });

  it('exits 2 for an unknown role or option, starting nothing', async () => {
    const role = await run(['start', '--role', 'bogus']);
    const option = await run(['start', '--rol', 'web']);

    expect(role.code).toBe(2);
    expect(role.output).toContain('--role must be one of all, web, worker, not "bogus"');
    expect(option.code).toBe(2);
    expect(option.output).toContain('unknown option --rol (options: --role)');
  });

  it('serves /healthz with the web role and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const child = spawnBot(['start', '--role', 'web'], {
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: uniquePrefix('cli'),
      PORT: String(port),
      PIPELINE_FILE: pipelineFile,
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
    });
    const healthy = await waitFor('the bot to answer /healthz', async () => {
      if (child.child.exitCode !== null) throw new Error(`the bot exited: ${child.output()}`);
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      return response.status === 200 ? response.json() : undefined;
    });
    expect(healthy).toEqual({ status: 'ok' });

    child.child.kill('SIGTERM');

    expect(await child.exited).toBe(0);
    expect(child.output()).toContain('"msg":"stopped"');
  });
});

describe('promotion-bot with an unknown command', () => {
  it('prints the usage and exits 2', async () => {
    const result = await run(['frobnicate']);

    expect(result.code).toBe(2);
    expect(result.output).toContain('unknown command "frobnicate"');
    expect(result.output).toContain('usage: promotion-bot <command>');
    expect(result.stdout).toBe('');
  });
});

describe('promotion-bot --help', () => {
  it('prints the commands on stdout and exits 0', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const result = await run(args);

      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout, args.join(' ')).toMatch(/^usage: promotion-bot <command>/);
      for (const command of ['start', 'validate', 'publish', 'demo']) {
        expect(result.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
      }
    }
  });

  it.each([
    ['start', '--role'],
    ['validate', 'FILE'],
    ['publish', '--version V'],
    ['demo', '--port'],
  ])('answers for %s on stdout, exit 0, doing nothing else', async (command, option) => {
    const result = await run([command, '--help'], { PIPELINE_FILE: join(workspace.dir, 'missing.yml') });

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^usage: promotion-bot ${command} `));
    expect(result.stdout).toContain(option);
    expect(result.stdout).toMatch(/^Exit 0 /m);
    expect(result.output).toBe(result.stdout);
  });
});
