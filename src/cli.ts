#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { publishCommand } from './cli/publish.js';
import { validateCommand } from './cli/validate.js';
import { startFromProcessEnv } from './main.js';

const USAGE = `usage: promotion-bot <command>

  start [--role all|web|worker]   serve Slack and the HTTP API (web), run jobs (worker), or both (all)
  validate [FILE]                 check a pipeline file (default: $PIPELINE_FILE or ./pipeline.yml)
  publish --service S --version V --digest sha256:HEX [--commit SHA] [--url URL] [--notes TEXT] [--api URL]
                                  publish an artifact from CI (reads PROMOTION_API_TOKEN)
  demo [--port N]                 the whole flow on this machine, with a Slack stand-in page (no workspace needed)
`;

const ROLES = ['all', 'web', 'worker'] as const;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return start(rest);
    case 'validate':
      return validateCommand(rest[0] ?? process.env.PIPELINE_FILE ?? './pipeline.yml', {
        write: (line) => console.log(line),
      });
    case 'demo':
      return (await import('./cli/demo.js')).demoCommand(rest, process.env, {
        out: (line) => console.log(line),
        err: (line) => console.error(line),
      });
    case 'publish':
      return publishCommand(rest, process.env, {
        out: (line) => console.log(line),
        err: (line) => console.error(line),
      });
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return command === undefined ? 1 : 0;
    default:
      console.error(`unknown command "${command}"\n\n${USAGE}`);
      return 1;
  }
}

async function start(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { role: { type: 'string', default: 'all' } }, strict: true });
  const role = ROLES.find((r) => r === values.role);
  if (!role) {
    console.error(`--role must be one of ${ROLES.join(', ')}, not "${values.role}"`);
    return 1;
  }
  const started = await startFromProcessEnv(role);
  if (!started.ok) {
    console.error(`promotion-bot cannot start:\n${started.problems.map((p) => `  - ${p}`).join('\n')}`);
    return 1;
  }
  const { bot, log } = started;
  log.info({ role, url: bot.url }, 'promotion-bot started');
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'stopping: no new work; running steps may finish');
      bot.shutdown().then(resolve, (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        resolve();
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  log.info('stopped');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    // Exit explicitly: a stopped bot has closed its connections, and nothing else should keep it alive.
    process.exit(code);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
