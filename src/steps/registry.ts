import type { Step } from '../domain/pipeline.js';
import type { StepContext } from '../domain/step-context.js';
import { runHttpStep } from './http/index.js';
import { runCommandStep } from './run/index.js';
import type { StepOutcome, StepRunOptions } from './step-outcome.js';

export type StepKind = Step['kind'];

type StepOfKind<K extends StepKind> = Extract<Step, { kind: K }>;

/** Runs one step; resolves with its outcome for every expected failure. */
export type StepDriver = (step: Step, context: StepContext, options: StepRunOptions) => Promise<StepOutcome>;

function isKind<K extends StepKind>(step: Step, kind: K): step is StepOfKind<K> {
  return step.kind === kind;
}

/** Adapts a driver of one kind to the registry's signature. */
function forKind<K extends StepKind>(
  kind: K,
  run: (step: StepOfKind<K>, context: StepContext, options: StepRunOptions) => Promise<StepOutcome>,
): [K, StepDriver] {
  return [
    kind,
    (step, context, options) => {
      if (!isKind(step, kind)) throw new Error(`the ${kind} step driver cannot run a ${step.kind} step`);
      return run(step, context, options);
    },
  ];
}

export const stepDrivers: ReadonlyMap<string, StepDriver> = new Map([
  forKind('run', runCommandStep),
  forKind('http', runHttpStep),
]);

/** Runs a step with the driver of its kind. Rejects only for a kind no driver handles. */
export async function runStep(
  step: Step,
  context: StepContext,
  options: StepRunOptions,
): Promise<StepOutcome> {
  const driver = stepDrivers.get(step.kind);
  if (driver === undefined) {
    const known = [...stepDrivers.keys()].join(', ');
    throw new Error(`unknown step kind "${String(step.kind)}": valid kinds are ${known}`);
  }
  return driver(step, context, options);
}
