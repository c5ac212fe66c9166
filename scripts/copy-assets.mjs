// After tsc: copy what the compiled code reads at run time but tsc does not emit. The stand-in's Block Kit schema
// (and its licence) and its page (plain HTML, CSS and JavaScript modules) go next to the compiled modules.
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const ASSETS = [
  'standin/web-api/block-kit.schema.json',
  'standin/web-api/LICENSE.block-kit-schema',
  'standin/page',
];

for (const asset of ASSETS) {
  const target = join(root, 'dist', asset);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(join(root, 'src', asset), target, { recursive: true });
}
process.stdout.write(`copied ${ASSETS.length} assets into dist/\n`);
