// `promotion-bot demo`: start everything, print where to look, and stop everything on Ctrl-C or SIGTERM.
import { parseArgs } from 'node:util';
import { listenForStopSignals } from '../demo/stop-signals.js';

export type DemoIo = { out(line: string): void; err(line: string): void };

const STANDIN = '@promotion-bot/standin';

export const STANDIN_MISSING = `promotion-bot demo needs the Slack stand-in (${STANDIN}), a development package that a
production install (npm ci --omit=dev, the Docker image) leaves out. Run the demo from a clone of the repository:
npm ci && npm run demo`;

export async function demoCommand(
  args: string[],
  env: Readonly<Record<string, string | undefined>>,
  io: DemoIo,
): Promise<number> {
  // Listen first: a signal during start-up stops the demo as soon as it is up, rather than orphaning its parts.
  const signals = listenForStopSignals((signal) => {
    io.err(`${signal} again: exiting without waiting (the demo services stop by themselves within a second)`);
    process.exit(130);
  });
  const port = standinPort(args);
  if (typeof port === 'string') {
    signals.dispose();
    io.err(port);
    return 2;
  }
  const modules = await loadDemo();
  if (modules === undefined) {
    signals.dispose();
    io.err(STANDIN_MISSING);
    return 1;
  }
  const { instructions, startDemo } = modules;
  let demo: Awaited<ReturnType<typeof startDemo>>;
  try {
    demo = await startDemo({ env, out: io.out, ...(port === undefined ? {} : { port }) });
  } catch (error) {
    signals.dispose();
    io.err(`the demo could not start:\n${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  io.out(instructions(demo));
  const signal = await signals.requested;
  io.out(`${signal}: stopping the bot, the stand-in, the demo services and Redis…`);
  await demo.stop();
  signals.dispose();
  io.out('stopped');
  return 0;
}

function standinPort(args: string[]): number | undefined | string {
  try {
    const { values } = parseArgs({ args, options: { port: { type: 'string' } }, strict: true });
    if (values.port === undefined) return undefined;
    const port = Number(values.port);
    return Number.isInteger(port) && port >= 0 && port <= 65_535
      ? port
      : '--port must be a whole number from 0 to 65535';
  } catch (error) {
    return `usage: promotion-bot demo [--port PORT]  (${error instanceof Error ? error.message : String(error)})`;
  }
}

/** The demo, or undefined when the stand-in it runs on is not installed. */
async function loadDemo(): Promise<typeof import('../demo/index.js') | undefined> {
  try {
    return await import('../demo/index.js');
  } catch (error) {
    if (isMissingPackage(error, STANDIN)) return undefined;
    throw error;
  }
}

function isMissingPackage(error: unknown, name: string): boolean {
  return (
    error instanceof Error &&
    'code' in error &&
    error.code === 'ERR_MODULE_NOT_FOUND' &&
    error.message.includes(`'${name}'`)
  );
}
