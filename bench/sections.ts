// docs/benchmarks.md is written in parts: `npm run bench` writes the main table, and the separate parts
// (`npm run bench:episodes`, `npm run bench:soak`) each write one section between their own markers. Every writer
// keeps what the others wrote.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const BENCHMARKS_FILE = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));

const SECTION = /<!-- ([a-z-]+) -->[\s\S]*?<!-- \/\1 -->/g;

const begin = (name: string) => `<!-- ${name} -->`;
const end = (name: string) => `<!-- /${name} -->`;

/** The separate parts' sections in a benchmarks file, in the order they appear. */
export function sectionsOf(text: string): string[] {
  return [...text.matchAll(SECTION)].map((match) => match[0]);
}

/** The text with `name`'s section replaced by `body` (marked), or appended when it has none yet. */
export function withSection(text: string, name: string, body: string): string {
  const marked = `${begin(name)}\n${body.trim()}\n${end(name)}`;
  const from = text.indexOf(begin(name));
  const to = text.indexOf(end(name));
  if (from !== -1 && to > from) return `${text.slice(0, from)}${marked}${text.slice(to + end(name).length)}`;
  return `${text.trimEnd()}\n\n${marked}\n`;
}

/** Writes the main table and keeps every section a separate part wrote. */
export async function writeMainTable(markdown: string): Promise<void> {
  const kept = sectionsOf(await readFile(BENCHMARKS_FILE, 'utf8').catch(() => ''));
  await writeFile(BENCHMARKS_FILE, [markdown.trimEnd(), ...kept].join('\n\n').concat('\n'));
}

/** Writes one separate part's section and keeps the rest of the file. */
export async function writeSection(name: string, body: string): Promise<void> {
  const text = await readFile(BENCHMARKS_FILE, 'utf8').catch(() => '');
  await writeFile(BENCHMARKS_FILE, withSection(text, name, body));
}
