// Child processes the benchmarks start: TypeScript entry points run through tsx, and a register of every child
// so a failed or timed-out run stops exactly the processes it started, by pid.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const started = new Set<ChildProcess>();

export function track(child: ChildProcess): void {
  started.add(child);
  child.once('exit', () => started.delete(child));
}

/** Sends SIGKILL to every child still running that this run started. */
export function killStarted(): void {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
}

export type Script = {
  readonly child: ChildProcess;
  /** The first line the script writes to stdout (its "ready" line). */
  readonly ready: Promise<string>;
  stop(): Promise<void>;
};

/**
 * `node [nodeArgs] --import tsx <script>` from the repository root, with only the given environment (plus PATH, HOME), and
 * the stand-in package from its sources (its `promotion-bot-source` export condition).
 */
export function spawnScript(
  script: string,
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
): Script {
  return spawnNode([...nodeArgs, '--import', 'tsx', '--conditions=promotion-bot-source', script], env);
}

/** `node <args>` on plain node (a compiled script, say), started and tracked like spawnScript's. */
export function spawnNode(args: readonly string[], env: Record<string, string>): Script {
  const script = args.at(-1) ?? '';
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  let output = '';
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const newline = output.indexOf('\n');
      if (newline >= 0) resolve(output.slice(0, newline));
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}: ${output.slice(-2000)}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    ready,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
