// examples/demo/pipeline.yml with this run's ports: its monitor reads the production service's error rate on
// 127.0.0.1:4103 by default, and the demo picks free ports instead. The steps still run in examples/demo/.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEMO_ENVIRONMENTS = ['development', 'staging', 'production'] as const;
export type DemoEnvironment = (typeof DEMO_ENVIRONMENTS)[number];
export type DemoPorts = Readonly<Record<DemoEnvironment, number>>;

const DEFAULT_PORTS: DemoPorts = { development: 4101, staging: 4102, production: 4103 };

/** examples/demo/ (two levels up from src/demo and from dist/demo alike). */
export const EXAMPLE_DIR = fileURLToPath(new URL('../../examples/demo/', import.meta.url));

/** Writes the pipeline with `ports` into `dir` and returns its path. */
export async function writeDemoPipeline(dir: string, ports: DemoPorts): Promise<string> {
  let text = await readFile(join(EXAMPLE_DIR, 'pipeline.yml'), 'utf8');
  for (const environment of DEMO_ENVIRONMENTS) {
    text = text.replaceAll(`127.0.0.1:${DEFAULT_PORTS[environment]}`, `127.0.0.1:${ports[environment]}`);
  }
  const file = join(dir, 'pipeline.yml');
  await writeFile(file, text);
  return file;
}

/** What the steps read to find their service: DEMO_PORT_<ENVIRONMENT>. */
export function portVariables(ports: DemoPorts): Record<string, string> {
  return Object.fromEntries(
    DEMO_ENVIRONMENTS.map((environment) => [
      `DEMO_PORT_${environment.toUpperCase()}`,
      String(ports[environment]),
    ]),
  );
}
