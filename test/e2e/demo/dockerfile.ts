// Just enough Dockerfile reading for the tests: instructions (continuation lines joined) grouped by stage.
import { readFileSync } from 'node:fs';

export type Instruction = { readonly keyword: string; readonly args: string };
export type Stage = { readonly from: string; readonly name?: string; readonly instructions: Instruction[] };

export function readDockerfile(path: string): Stage[] {
  const text = readFileSync(path, 'utf8').replace(/\\\n/g, ' ');
  const stages: Stage[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const [keyword = '', ...rest] = trimmed.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const [from = '', , name] = args.split(/\s+/);
      stages.push({ from, ...(name ? { name } : {}), instructions: [] });
      continue;
    }
    stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
  }
  return stages;
}

/** COPY's sources and target, and its --from stage if any. */
export function copyOf(instruction: Instruction): { from?: string; sources: string[]; target: string } {
  const words = instruction.args.split(/\s+/);
  const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length);
  const paths = words.filter((word) => !word.startsWith('--'));
  return { ...(from ? { from } : {}), sources: paths.slice(0, -1), target: paths.at(-1) ?? '' };
}

/** The JSON-array command of CMD or HEALTHCHECK … CMD. */
export function execForm(args: string): string[] {
  const json = args.slice(args.indexOf('['));
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed) || !parsed.every((word) => typeof word === 'string')) {
    throw new Error(`not an exec-form command: ${args}`);
  }
  return parsed;
}
