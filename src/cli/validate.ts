import { formatProblems, loadPipelineFile } from '../config/load-pipeline.js';
import type { Pipeline, Service } from '../domain/pipeline.js';

export type LineWriter = { write(line: string): void };

function describeService(service: Service): string {
  return `${service.name} (${service.environments.map((environment) => environment.name).join(' -> ')})`;
}

/** `pipeline.yml: OK — 1 service: checkout (development -> staging -> production)` */
export function summarizePipeline(pipeline: Pipeline, file: string): string {
  const services = [...pipeline.services.values()];
  const count = services.length === 1 ? '1 service' : `${services.length} services`;
  return `${file}: OK — ${count}: ${services.map(describeService).join(', ')}`;
}

/** `promotion-bot validate [FILE]`: prints every problem and returns 1, or a one-line summary and returns 0. */
export async function validateCommand(file: string, out: LineWriter): Promise<number> {
  const result = await loadPipelineFile(file);
  if (!result.ok) {
    for (const line of formatProblems(result.problems, file)) out.write(line);
    return 1;
  }
  out.write(summarizePipeline(result.pipeline, file));
  return 0;
}
