import { z } from 'zod';

// Reads a promotion's audit trail (the body of GET /api/promotions/:id/events) the way the fault tests check it.

const AuditTrail = z.object({
  events: z.array(
    z.looseObject({
      type: z.string(),
      detail: z
        .looseObject({
          step: z
            .looseObject({
              kind: z.string(),
              environment: z.number(),
              rolloutStep: z.number().optional(),
              test: z.number().optional(),
            })
            .optional(),
          analysis: z.object({ step: z.number(), check: z.number() }).optional(),
        })
        .optional(),
    }),
  ),
});

function tally(keys: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

/**
 * How many times each step appears with `type` (e.g. `stepSucceeded`), keyed `<kind> <environment>.<index>`:
 * `deploy 2.1` is production's second rollout step, `test 1.0` staging's first test.
 */
export function countSteps(trail: unknown, type: string): Record<string, number> {
  const { events } = AuditTrail.parse(trail);
  return tally(
    events.flatMap(({ type: seen, detail }) => {
      const step = detail?.step;
      if (seen !== type || !step) return [];
      return [`${step.kind} ${step.environment}.${step.rolloutStep ?? step.test ?? 0}`];
    }),
  );
}

/** How many times each analysis check completed, keyed `<rollout step>.<check>`. */
export function countChecks(trail: unknown): Record<string, number> {
  const { events } = AuditTrail.parse(trail);
  return tally(
    events.flatMap(({ type, detail }) =>
      type === 'analysisCompleted' && detail?.analysis
        ? [`${detail.analysis.step}.${detail.analysis.check}`]
        : [],
    ),
  );
}

/** `{ key: 1, … }` for every key: what a trail in which each step or check happened once looks like. */
export function once(keys: readonly string[]): Record<string, number> {
  return Object.fromEntries(keys.map((key) => [key, 1]));
}

/** Every step of `testPipeline`'s happy path, as countSteps names them (kind environment.index). */
export const TEST_PIPELINE_STEPS = [
  'deploy 0.0',
  'test 0.0',
  'deploy 1.0',
  'test 1.0',
  'test 1.1',
  'deploy 2.0',
  'deploy 2.1',
  'deploy 2.2',
];
