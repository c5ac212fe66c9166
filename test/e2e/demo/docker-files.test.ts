import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EnvVariables } from '../../../src/config/env-variables.js';
import { copyOf, execForm, readDockerfile } from './dockerfile.js';

// No Docker engine runs here: these check what can be checked without one. The Dockerfile copies files that exist
// and the build context keeps, including all that `npm run build` reads; its healthcheck command
// tells a healthy bot from a failing one; docker-compose.yml wires the bot, Redis and Prometheus as documented.

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const stages = readDockerfile(join(ROOT, 'Dockerfile'));
const final = stages.at(-1);
const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));

function instructions(keyword: string) {
  return (final?.instructions ?? []).filter((instruction) => instruction.keyword === keyword);
}

// biome-ignore lint/suspicious/noExplicitAny: the compose file is read field by field and asserted on
const compose: any = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'));

describe('the Dockerfile', () => {
  it('copies only files that exist and that .dockerignore keeps in the build context', () => {
    const sources = stages.flatMap((stage) =>
      stage.instructions
        .filter((i) => i.keyword === 'COPY')
        .map(copyOf)
        .filter((copy) => copy.from === undefined)
        .flatMap((copy) => copy.sources),
    );
    expect(sources.length).toBeGreaterThan(5);
    expect(sources.filter((source) => !existsSync(join(ROOT, source)))).toEqual([]);
    expect(sources.filter((source) => ignored.includes(source.split('/')[0] ?? ''))).toEqual([]);
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.git', '.env']));
  });

  it('builds on node:24-slim, runs steps as the unprivileged promotion-step user, production dependencies only', () => {
    expect(stages.map((stage) => stage.from)).toEqual(['node:24-slim', 'node:24-slim', 'node:24-slim']);
    const production = stages.find((stage) => stage.name === 'production-dependencies');
    expect(production?.instructions.map((i) => i.args).join('\n')).toContain('npm ci --omit=dev');
    expect(instructions('COPY').map(copyOf)).toContainEqual({
      from: 'production-dependencies',
      sources: ['/app/node_modules'],
      target: './node_modules',
    });
    // Root, so that it can start steps as another user; compose drops every capability but these.
    expect(instructions('USER')).toEqual([]);
    expect(
      instructions('RUN')
        .map((i) => i.args)
        .join(' '),
    ).toContain('useradd --system --uid 10002');
    expect(
      instructions('ENV')
        .map((i) => i.args)
        .join(' '),
    ).toContain('STEP_USER=promotion-step');
    expect(instructions('EXPOSE').map((i) => i.args)).toEqual(['3000']);
    expect(
      instructions('RUN')
        .map((i) => i.args)
        .join(' '),
    ).toContain('fonts-dejavu-core');
    expect(execForm(instructions('CMD')[0]?.args ?? '')).toEqual(['node', 'dist/cli.js', 'start']);
  });

  it('has a healthcheck that passes while /healthz answers 200 and fails otherwise', async () => {
    const command = execForm(instructions('HEALTHCHECK')[0]?.args ?? '');
    expect(command.slice(0, 2)).toEqual(['node', '-e']);
    let status = 200;
    const server = createServer((request, response) => {
      response.writeHead(request.url === '/healthz' ? status : 404).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address: AddressInfo | string | null = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const check = () =>
      run(process.execPath, command.slice(1), { env: { ...process.env, PORT: String(port) } }).then(
        () => 0,
        (error: { code?: number }) => error.code ?? -1,
      );
    try {
      expect(await check()).toBe(0);
      status = 503;
      expect(await check()).toBe(1);
    } finally {
      server.close();
    }
  });

  it('copies everything `npm run build` reads into its build stage', () => {
    const build = stages.find((stage) => stage.name === 'build');
    const copied = (build?.instructions ?? [])
      .filter((i) => i.keyword === 'COPY')
      .flatMap((i) => copyOf(i).sources);
    const buildConfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8'));
    const script: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.build;
    const scriptFiles = script.split(/\s+/).filter((word) => /^scripts\//.test(word));
    // The workspaces the build compiles first: the stand-in, which the demo compiles against.
    const workspaces = [...script.matchAll(/--workspace=(\S+)/g)].map((found) =>
      workspaceFolder(found[1] ?? ''),
    );
    const needed = [
      'package.json',
      'package-lock.json',
      'tsconfig.build.json',
      buildConfig.extends,
      ...buildConfig.include,
      ...workspaces,
      ...workspaces.map((folder) => `${folder}/package.json`),
    ];
    expect(scriptFiles).toEqual([]);
    expect(workspaces).toEqual(['packages/standin']);
    expect(
      needed.map((file: string) => file.replace(/^\.\//, '')).filter((file) => !copied.includes(file)),
    ).toEqual([]);
    // npm ci links a workspace only when its package.json is there.
    const steps = (build?.instructions ?? []).map((i) => i.args);
    const linked = steps.findIndex((args) => args.startsWith('packages/standin/package.json'));
    expect(linked).toBeGreaterThanOrEqual(0);
    expect(steps.indexOf('npm ci --no-audit --no-fund')).toBeGreaterThan(linked);
    expect(build?.instructions.at(-1)?.args).toBe('npm run build');
  });

  it('leaves the Slack stand-in out of the image: no workspace installed, only the bot compiled', () => {
    const production = stages.find((stage) => stage.name === 'production-dependencies');
    const productionCopies = (production?.instructions ?? []).filter((i) => i.keyword === 'COPY').map(copyOf);
    expect(productionCopies.flatMap((copy) => copy.sources)).toEqual(['package.json', 'package-lock.json']);
    expect(production?.instructions.map((i) => i.args).join('\n')).toContain(
      'npm ci --omit=dev --workspaces=false',
    );
    const fromBuild = instructions('COPY')
      .map(copyOf)
      .filter((copy) => copy.from === 'build');
    expect(fromBuild).toEqual([{ from: 'build', sources: ['/app/dist'], target: './dist' }]);
  });
});

/** The folder of the workspace package called `name`. */
function workspaceFolder(name: string): string {
  const folders = readdirSync(join(ROOT, 'packages')).map((folder) => `packages/${folder}`);
  const found = folders.find(
    (folder) => JSON.parse(readFileSync(join(ROOT, folder, 'package.json'), 'utf8')).name === name,
  );
  if (!found) throw new Error(`no workspace package ${name} under packages/`);
  return found;
}

describe('docker-compose.yml', () => {
  it('runs the bot, Redis and Prometheus', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['bot', 'prometheus', 'redis']);
    expect(Object.keys(compose.volumes).sort()).toEqual(['prometheus-data', 'redis-data']);
  });

  it('keeps Redis in an append-only file on a volume, never evicting keys', () => {
    const redis = compose.services.redis;
    const command = redis.command.join(' ');
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--maxmemory-policy noeviction');
    expect(redis.volumes).toEqual(['redis-data:/data']);
    expect(command).toContain('--requirepass "$$(cat /run/secrets/redis_password)"');
    expect(redis.healthcheck.test.join(' ')).toContain('redis-cli ping');
  });

  it('starts the bot once Redis is healthy, with only variables the bot reads, and checks /healthz', () => {
    const bot = compose.services.bot;
    expect(bot.depends_on).toEqual({ redis: { condition: 'service_healthy' } });
    const known = Object.keys(EnvVariables.shape).flatMap((name) => [name, `${name}_FILE`]);
    expect(Object.keys(bot.environment).filter((name) => !known.includes(name))).toEqual([]);
    // Secrets only as files: none in the environment, each _FILE a compose secret the bot is given.
    for (const name of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'PROMOTION_API_TOKEN', 'REDIS_URL']) {
      expect(bot.environment[name]).toBeUndefined();
      const file: string = bot.environment[`${name}_FILE`];
      expect(bot.secrets).toContain(file.replace('/run/secrets/', ''));
      expect(Object.keys(compose.secrets)).toContain(file.replace('/run/secrets/', ''));
    }
    expect(bot.environment.STEP_USER).toBe('promotion-step');
    expect(bot.cap_drop).toEqual(['ALL']);
    expect(bot.cap_add.sort()).toEqual(['KILL', 'SETGID', 'SETUID']);
    expect(bot.security_opt).toEqual(['no-new-privileges:true']);
    expect(bot.volumes).toEqual([`./pipeline.yml:${bot.environment.PIPELINE_FILE}:ro`]);
    expect(bot.healthcheck.test.join(' ')).toContain('http://127.0.0.1:3000/healthz');
    expect(bot.ports).toEqual(['3000:3000']);
    expect(bot.init).toBe(true);
  });

  it("points Prometheus at a valid config that scrapes the bot's /metrics", async () => {
    const prometheus = compose.services.prometheus;
    const mount = prometheus.volumes.find((volume: string) =>
      volume.endsWith(':/etc/prometheus/prometheus.yml:ro'),
    );
    const file = join(ROOT, mount.split(':')[0]);
    await run('promtool', ['check', 'config', file]);
    const config = parse(readFileSync(file, 'utf8'));
    const job = config.scrape_configs.find((c: { job_name: string }) => c.job_name === 'promotion-bot');
    expect(job.metrics_path).toBe('/metrics');
    expect(job.static_configs[0].targets).toEqual(['bot:3000']);
  });
});

describe('deploy/promotion-bot.service', () => {
  const unit = readFileSync(join(ROOT, 'deploy/promotion-bot.service'), 'utf8');
  const directives = unit
    .split('\n')
    .filter((line) => /^[A-Za-z]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const);
  const values = (key: string) => directives.filter(([name]) => name === key).map(([, value]) => value);
  const environment = values('Environment').join(' ').split(/\s+/);

  it('hands every secret over as a credential file, never as an environment variable', () => {
    for (const name of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'PROMOTION_API_TOKEN', 'REDIS_URL']) {
      const credential = name.toLowerCase();
      expect(environment).toContain(`${name}_FILE=%d/${credential}`);
      expect(environment.filter((entry) => entry.startsWith(`${name}=`))).toEqual([]);
      expect(values('LoadCredential').map((value) => value.split(':')[0])).toContain(credential);
    }
  });

  it('runs steps as promotion-step with only the capabilities to switch to it and stop its steps', () => {
    expect(environment).toContain('STEP_USER=promotion-step');
    expect(values('CapabilityBoundingSet')).toEqual(['CAP_SETUID CAP_SETGID CAP_KILL']);
    expect(values('NoNewPrivileges')).toEqual(['yes']);
    expect(values('ExecStart')[0]).toContain('dist/cli.js start');
  });
});
