import type { FreezeWindow } from './freeze.js';

// The validated pipeline, as the rest of the program sees it. `src/config/pipeline-schema.ts` turns the YAML
// file into these types; durations are already milliseconds here.

export type RunStep = {
  readonly kind: 'run';
  /** Program and its arguments, already split: never passed to a shell. */
  readonly command: readonly string[];
  readonly timeoutMs: number;
  /** Extra attempts after the first failure, with exponential backoff from `retryBackoffMs`. */
  readonly retries: number;
  readonly retryBackoffMs: number;
};

export type HttpStep = {
  readonly kind: 'http';
  /** May contain `$SERVICE`, `$VERSION`, ...; replaced with URL-escaped values when the step runs. */
  readonly url: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The step passes when the response status is one of these; `any-2xx` when the file names none. */
  readonly expectStatus: 'any-2xx' | readonly number[];
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryBackoffMs: number;
};

export type Step = RunStep | HttpStep;

export type TestStep = Step & { readonly name: string };

export type RolloutStrategy = 'all-at-once' | 'canary' | 'blue-green';

export type CanaryStep = {
  /** Percentage of traffic (1-100) the new version gets at this step. */
  readonly weight: number;
  /** How long to hold this step while the monitor analyses it; 0 = move straight on. */
  readonly pauseMs: number;
};

export type Deploy = Step & {
  readonly strategy: RolloutStrategy;
  /** For `canary` the configured steps; for the other strategies one step of weight 100. */
  readonly steps: readonly CanaryStep[];
};

export type MetricQuery =
  | { readonly kind: 'prometheus'; readonly url: string; readonly query: string }
  | {
      readonly kind: 'http';
      readonly url: string;
      readonly jsonPath: string;
      readonly headers: Readonly<Record<string, string>>;
    };

export type MetricThreshold = {
  readonly name: string;
  readonly query: MetricQuery;
  readonly min?: number;
  readonly max?: number;
};

export type Monitor = {
  readonly intervalMs: number;
  /** Consecutive breaching checks that trigger a rollback. */
  readonly failureLimit: number;
  /** Consecutive checks without a usable value (no data, provider error) that trigger a rollback. */
  readonly inconclusiveLimit: number;
  /** Wait before the first check of a step, so the new version has served traffic. */
  readonly initialDelayMs: number;
  /** Analysis window of a rollout step that has no pause of its own (all-at-once, blue-green). */
  readonly durationMs: number;
  readonly metrics: readonly MetricThreshold[];
  /** Too many checks without data: roll back (the default), or ask the approvers whether to go on. */
  readonly onInconclusive?: 'rollback' | 'ask';
};

export type ApprovalPolicy = {
  /** Slack user IDs (U…, W…) and user-group IDs (S…). */
  readonly approvers: readonly string[];
  readonly required: number;
  readonly allowSelfApproval: boolean;
  readonly expiresAfterMs: number;
  /** While the gate waits, the approvers who have not decided are reminded this often. */
  readonly remindEveryMs?: number;
  /** From this long after the request, reminders also name `escalateTo`. */
  readonly escalateAfterMs?: number;
  readonly escalateTo?: readonly string[];
};

export type Environment = {
  readonly name: string;
  readonly deploy: Deploy;
  readonly tests: readonly TestStep[];
  readonly promote: 'auto' | 'manual';
  readonly approval?: ApprovalPolicy;
  readonly rollback?: Step;
  readonly monitor?: Monitor;
  /** How long a promotion stays here after its tests pass before it moves on; absent: it moves on at once. */
  readonly soakMs?: number;
};

export type Service = {
  readonly name: string;
  readonly channel: string;
  readonly alertChannel: string;
  /** Slack user IDs and user-group IDs who may /promote, /hold, /unhold and /rollback. */
  readonly owners: readonly string[];
  /** Ordered; the last one is production. */
  readonly environments: readonly Environment[];
  /** The windows that freeze its environments: its own and the pipeline's that apply to it. */
  readonly freezes?: readonly FreezeWindow[];
  /** The change's compare page, with `{from}` and `{to}` for commits or versions (see `changeOf`). */
  readonly compareUrl?: string;
};

export type Pipeline = {
  readonly services: ReadonlyMap<string, Service>;
};

export function productionOf(service: Service): Environment {
  const production = service.environments.at(-1);
  if (!production) throw new Error(`service ${service.name} has no environments`);
  return production;
}

/** Where production is in the service's environments: the last. */
export function productionIndex(service: Service): number {
  return service.environments.length - 1;
}

export function isProduction(service: Service, environmentIndex: number): boolean {
  return environmentIndex === productionIndex(service);
}
