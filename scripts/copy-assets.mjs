// After tsc: copy what the compiled code reads at run time but tsc does not emit. The stand-in's vendored Slack
// schemas (with their licences) and its page (plain HTML, CSS and JavaScript modules) go next to the compiled modules.
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const ASSETS = ['standin/slack-reference', 'standin/page'];
// tsc already compiles the folders' TypeScript modules (a declaration file is copied like any asset).
const notTypeScript = (source) => !source.endsWith('.ts') || source.endsWith('.d.ts');

for (const asset of ASSETS) {
  const target = join(root, 'dist', asset);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(root, 'src', asset), target, { recursive: true, filter: notTypeScript });
}
process.stdout.write(`copied ${ASSETS.length} assets into dist/\n`);
