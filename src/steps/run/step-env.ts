import { SECRET_VARIABLES } from '../../config/secret-files.js';
import { STEP_CONTEXT_NAMES, type StepContext } from '../../domain/step-context.js';

/** promotion-bot's own secrets: a step never sees them. */
const SECRET_NAMES: ReadonlySet<string> = new Set(SECRET_VARIABLES);

export function isBotSecret(name: string): boolean {
  return SECRET_NAMES.has(name) || name.startsWith('SLACK_');
}

/** The environment of a `run` step: the bot's own minus its secrets, plus the step context as variables. */
export function toStepEnv(
  parentEnv: Readonly<Record<string, string | undefined>>,
  context: StepContext,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parentEnv)) {
    if (value !== undefined && !isBotSecret(name)) env[name] = value;
  }
  for (const name of STEP_CONTEXT_NAMES) env[name] = context[name];
  return env;
}
