import { productionOf, type Service } from './pipeline.js';
import type { RollbackCause } from './promotion.js';

// The way on after a rollback, in one sentence that the rollback notice and a refused `/promote` both give, so
// nobody is left at "rolled back" without knowing what to type next.

/**
 * What to do about a rolled-back version: force it back in, or publish a fixed one. An automatic rollback also
 * put production on hold, which keeps either out until someone lifts it.
 */
export function recoveryAdvice(service: Service, version: string, cause: RollbackCause | undefined): string {
  const advice = `an approver can \`/promote ${service.name} ${version} --force\`, or publish a fixed version`;
  if (!cause || cause.kind === 'manual') return advice;
  const production = productionOf(service).name;
  return `${advice}; the rollback put ${production} on hold, and \`/unhold ${service.name} ${production}\` lets either in`;
}
