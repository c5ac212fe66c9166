import type { ApiResponse } from './api-client.js';

// Reads a promotion's audit trail (GET /api/promotions/:id/events) the way the fault tests check it.

type AuditEvent = { readonly type: string; readonly detail?: Record<string, unknown> };

/** `deploy 1.0`, `test 1.1`, `rollback 2.0`: a step of the trail named by kind, environment and index. */
function stepKey(step: unknown): string {
  if (typeof step !== 'object' || step === null) return 'unknown';
  const { kind, environment, rolloutStep, test } = step as Record<string, unknown>;
  return `${String(kind)} ${String(environment)}.${String(rolloutStep ?? test ?? 0)}`;
}

/** How many times each step is recorded with `type` (e.g. stepSucceeded), by step. */
export function countSteps(events: ApiResponse, type: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const event of (events.body.events ?? []) as AuditEvent[]) {
    if (event.type !== type) continue;
    const key = stepKey(event.detail?.step);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** How many times each analysis check (`<rollout step>.<check>`) completed. */
export function countChecks(events: ApiResponse): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const event of (events.body.events ?? []) as AuditEvent[]) {
    if (event.type !== 'analysisCompleted') continue;
    const { step, check } = (event.detail?.analysis ?? {}) as Record<string, unknown>;
    const key = `${String(step)}.${String(check)}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
