#!/usr/bin/env node
import { auditCommand } from './cli/audit-export.js';
import { parseOptions } from './cli/parse-options.js';
import { publishCommand } from './cli/publish.js';
import { asksForHelp, COMMAND_USAGE, isCommandName, USAGE } from './cli/usage.js';
import { validateCommand } from './cli/validate.js';
import { startFromProcessEnv } from './main.js';

const ROLES = ['all', 'web', 'worker'] as const;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (isCommandName(command) && asksForHelp(rest)) {
    console.log(COMMAND_USAGE[command]);
    return 0;
  }
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
    case 'audit':
      return auditCommand(rest, process.env, {
        out: (line) => console.log(line),
        err: (line) => console.error(line),
        stdout: process.stdout,
      });
    case 'help':
    case '--help':
    case '-h':
      if (isCommandName(rest[0])) console.log(COMMAND_USAGE[rest[0]]);
      else console.log(USAGE);
      return 0;
    case undefined:
      console.error(USAGE);
      return 2;
    default:
      console.error(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

async function start(args: string[]): Promise<number> {
  const parsed = parseOptions(args, { role: { type: 'string' } });
  if (!parsed.ok) {
    console.error(`${parsed.problems.join('\n')}\npromotion-bot start --help lists the options`);
    return 2;
  }
  const wanted = parsed.values.role ?? 'all';
  const role = ROLES.find((r) => r === wanted);
  if (!role) {
    console.error(`--role must be one of ${ROLES.join(', ')}, not "${wanted}"`);
    return 2;
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
