import type { Service } from './pipeline.js';

// The way on after a rollback, in one sentence that the rollback notice and a refused `/promote` both give, so
// nobody is left at "rolled back" without knowing what to type next.

/**
 * What to do about a rolled-back version: force it back in, or publish a fixed one. Either way goes to the gate;
 * nothing else is in the way (an automatic rollback quarantines the digest, it does not hold production).
 */
export function recoveryAdvice(service: Service, version: string): string {
  return `an approver can \`/promote ${service.name} ${version} --force\`, or publish a fixed version`;
}
