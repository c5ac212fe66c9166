// Builds small pipeline files for the config tests. Lines are listed one per string so that a test can count them.
import { formatProblems, type PipelineProblem, parsePipeline } from '../../../src/config/load-pipeline.js';
import type { Environment, Pipeline, Service } from '../../../src/domain/pipeline.js';

export function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** Lines 1-5: a service named checkout whose environments start on line 6. */
export const SERVICE_HEADER = [
  'services:',
  '  checkout:',
  '    channel: C0DEPLOYS',
  '    owners: [U0ALICE]',
  '    environments:',
];

/** Three lines of a valid production environment. */
export const PRODUCTION = [
  '      - name: production',
  '        deploy: { run: ./deploy.sh }',
  '        approval: { approvers: [U0CAROL] }',
];

/** A checkout service with these environment lines (from line 6). */
export function withEnvironments(...lines: string[]): string {
  return yaml(...SERVICE_HEADER, ...lines);
}

/** A checkout service whose only environment is production, with these extra lines after line 8. */
export function withProduction(...lines: string[]): string {
  return withEnvironments(...PRODUCTION, ...lines);
}

export type Located = Omit<PipelineProblem, 'column'>;

/** The problems of an invalid file, without their columns. */
export function problemsOf(text: string): Located[] {
  const result = parsePipeline(text);
  if (result.ok) throw new Error('expected problems, but the pipeline is valid');
  return result.problems.map(({ path, line, message }) => ({ path, line, message }));
}

export function pipelineOf(text: string): Pipeline {
  const result = parsePipeline(text);
  if (!result.ok) throw new Error(formatProblems(result.problems, 'test.yml').join('\n'));
  return result.pipeline;
}

export function checkoutOf(text: string): Service {
  const service = pipelineOf(text).services.get('checkout');
  if (!service) throw new Error('no checkout service');
  return service;
}

export function environmentOf(text: string, name: string): Environment {
  const environment = checkoutOf(text).environments.find((candidate) => candidate.name === name);
  if (!environment) throw new Error(`no environment ${name}`);
  return environment;
}
