// What a step learns about the artifact and where it runs: only ever as environment variables (run steps)
// or escaped `$NAME` substitutions (http urls, PromQL queries), never spliced into a shell string.
export const STEP_CONTEXT_NAMES = [
  'SERVICE',
  'VERSION',
  'DIGEST',
  'ENVIRONMENT',
  'PREVIOUS_VERSION',
  'WEIGHT',
  'COLOR',
  'PROMOTION_ID',
] as const;

export type StepContextName = (typeof STEP_CONTEXT_NAMES)[number];

/** Every name is present; a value that does not apply (no previous version, no colour) is ''. */
export type StepContext = Readonly<Record<StepContextName, string>>;
