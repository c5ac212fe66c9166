// The compiled build, as users run it: `npm run build` once per benchmark run (dist/ and the stand-in's dist/),
// and small benchmark scripts turned into plain JavaScript, so that a process measured against the bot runs on
// plain node as the bot does, not through tsx's loader.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** What `node dist/cli.js` runs: the files a finished build must have written. */
const ENTRY_POINTS = ['dist/cli.js', 'dist/main.js'] as const;
export const COMPILED_CLI = join(ROOT, 'dist/cli.js');

export type Build = { readonly seconds: number };

/**
 * Runs `npm run build` and checks that it wrote the entry points just now, so a stale dist/ from an older
 * checkout cannot be measured in its place: a failed build fails the benchmarks that need it.
 */
async function build(): Promise<Build> {
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    execFile('npm', ['run', 'build'], { cwd: ROOT, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`npm run build failed:\n${`${stdout}${stderr}`.slice(-4000)}`));
      else resolve();
    });
  });
  for (const file of ENTRY_POINTS) {
    const written = (await stat(join(ROOT, file))).mtimeMs;
    if (written < started - 1000)
      throw new Error(`npm run build did not write ${file}; dist/ would be stale`);
  }
  return { seconds: (Date.now() - started) / 1000 };
}

let built: Promise<Build> | undefined;

/** The build of this run, done once however many benchmarks ask for it. */
export function buildOnce(): Promise<Build> {
  built ??= build();
  return built;
}

/**
 * One TypeScript file of bench/ as an ES module in a temporary folder (types stripped, nothing bundled), next to
 * a link to this repository's node_modules so its imports resolve as they do here. Returns the .mjs file's path.
 */
export async function compileScript(script: string): Promise<string> {
  const source = await readFile(join(ROOT, script), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    fileName: basename(script),
  });
  const folder = await mkdtemp(join(tmpdir(), 'promotion-bot-bench-'));
  await symlink(join(ROOT, 'node_modules'), join(folder, 'node_modules'), 'dir');
  const file = join(folder, basename(script).replace(/\.ts$/, '.mjs'));
  await writeFile(file, outputText);
  return file;
}
