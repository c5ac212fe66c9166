// A promotion: one immutable artifact on its way through a service's environments. Its `phase` says exactly
// where it is in the flow; the contract's coarser `status` is derived from it, never stored apart.

/** What a promotion id looks like: it travels in job data, URLs and Slack buttons. */
export const PROMOTION_ID_PATTERN = /^[A-Za-z0-9_-]{4,64}$/;

export type Artifact = {
  readonly service: string;
  readonly version: string;
  readonly digest: string;
  readonly commit?: string;
  readonly url?: string;
  readonly notes?: string;
};

export type PromotionStatus =
  | 'running'
  | 'waiting'
  | 'awaiting_approval'
  | 'held'
  | 'failed'
  | 'rolling_back'
  | 'rolled_back'
  | 'released'
  | 'superseded';

export type Hold = {
  /** An environment name, or undefined when the whole service is held. */
  readonly environment?: string;
  readonly reason: string;
  readonly by: string;
  readonly at: string;
  /** When a hold placed `for` a while lifts itself, or a freeze window ends. */
  readonly until?: string;
  /** The freeze window this hold is, when it is one (it lifts itself at `until`). */
  readonly freeze?: string;
};

/** What ran in an environment before this promotion entered it: PREVIOUS_VERSION, and the live colour. */
export type Predecessor = {
  readonly version: string;
  readonly digest: string;
  readonly commit?: string;
  readonly color?: Color;
};

export type Color = 'blue' | 'green';

export type Measurement = {
  readonly metric: string;
  readonly value?: number;
  readonly min?: number;
  readonly max?: number;
  readonly verdict: 'healthy' | 'breach' | 'inconclusive';
  readonly reason?: string;
};

export type RollbackCause =
  | { readonly kind: 'metric-breach'; readonly measurements: readonly Measurement[]; readonly checks: number }
  | {
      readonly kind: 'inconclusive';
      readonly measurements: readonly Measurement[];
      readonly checks: number;
      /** An approver asked about the missing data chose to roll back; none when nobody answered in time. */
      readonly decidedBy?: string;
    }
  | { readonly kind: 'step-failed'; readonly step: string }
  | { readonly kind: 'manual'; readonly by: string; readonly reason?: string };

export type Phase =
  /** Asked for the environment; it may be busy with another promotion of the same service. */
  | { readonly kind: 'entering'; readonly environment: number }
  | { readonly kind: 'deploying'; readonly environment: number }
  | { readonly kind: 'testing'; readonly environment: number; readonly test: number }
  /** Its tests passed `since`; it stays in the environment (keeping it) until `until`, the end of its soak. */
  | { readonly kind: 'soaking'; readonly environment: number; readonly since: string; readonly until: string }
  /** Passed `environment`, whose `promote` is manual: `/promote` moves it on. */
  | { readonly kind: 'waiting'; readonly environment: number }
  | { readonly kind: 'blocked'; readonly environment: number; readonly hold: Hold }
  | {
      readonly kind: 'awaiting_approval';
      readonly requestedAt: string;
      /** Who moved it to the gate (`api` for CI): they may not approve it unless the policy allows. */
      readonly requestedBy: string;
      readonly expiresAt: string;
      /** How many reminders went out for this request. */
      readonly reminded?: number;
    }
  | { readonly kind: 'rejected'; readonly by: string; readonly reason: string; readonly at: string }
  | { readonly kind: 'approval_expired'; readonly at: string }
  | {
      readonly kind: 'rolling_out';
      readonly step: number;
      readonly stage: RolloutStage;
      /** Bad checks in a row so far: a run of breaches spans rollout steps, it does not restart at each one. */
      readonly carried?: { readonly breaches: number; readonly inconclusive: number };
    }
  | { readonly kind: 'rolling_back'; readonly cause: RollbackCause; readonly released: boolean }
  | {
      readonly kind: 'failed';
      readonly environment: number;
      readonly step: string;
      readonly rollbackFailed: boolean;
    }
  | { readonly kind: 'rolled_back'; readonly cause: RollbackCause }
  | { readonly kind: 'released'; readonly at: string }
  /**
   * `draining` names the environment whose in-flight step must report before it is free again; `was` is the phase
   * it was overtaken in (never itself superseded): where it stopped and, at the gate, how the request had ended.
   */
  | { readonly kind: 'superseded'; readonly by: string; readonly draining?: number; readonly was?: Phase };

/** The analysis of a rollout step where it stood when too many checks had no data. */
export type AnalysingStage = Extract<RolloutStage, { kind: 'analysing' }>;

export type RolloutStage =
  | { readonly kind: 'deploying' }
  | { readonly kind: 'testing'; readonly test: number }
  | {
      readonly kind: 'analysing';
      /** When the analysis of this step began: check n is due at startedAt + initialDelay + n × interval. */
      readonly startedAt?: string;
      readonly check: number;
      readonly checks: number;
      readonly breaches: number;
      readonly inconclusive: number;
      readonly last?: readonly Measurement[];
    }
  /** `onInconclusive: ask`: the analysis waits for an approver to say Continue or Roll back, until `deadline`. */
  | {
      readonly kind: 'asking';
      readonly askedAt: string;
      readonly deadline: string;
      readonly measurements: readonly Measurement[];
      readonly checks: number;
      readonly analysis: AnalysingStage;
    };

export type StepRecord = {
  /** `deploy`, a test's name, `canary 10%`, `switch to green`, `analysis`, `rollback`. */
  readonly name: string;
  readonly status: 'running' | 'passed' | 'failed';
  /** The execution that is running it: only that execution's report counts. */
  readonly run?: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly durationMs?: number;
  readonly exitCode?: number;
  readonly httpStatus?: number;
  readonly error?: string;
  /** Last lines of the step's output, kept for failure notices. */
  readonly output?: readonly string[];
};

export type StageStatus = 'pending' | 'running' | 'passed' | 'failed' | 'held' | 'skipped' | 'rolled_back';

/** One analysis check: every metric's value (null without a usable value), for the rollback notice's chart. */
export type AnalysisSample = {
  readonly at: string;
  readonly step: number;
  readonly values: Readonly<Record<string, number | null>>;
};

export type Stage = {
  readonly environment: string;
  readonly status: StageStatus;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly predecessor?: Predecessor;
  readonly color?: Color;
  readonly steps: readonly StepRecord[];
  /** The soak it served here after its tests passed, once it moved on. */
  readonly soakedMs?: number;
  /** Production only: the analysis checks of the rollout, oldest first (the most recent 240). */
  readonly samples?: readonly AnalysisSample[];
};

export type Approval = {
  readonly by: string;
  readonly decision: 'approve' | 'reject';
  readonly at: string;
  readonly reason?: string;
};

export type Promotion = {
  readonly id: string;
  readonly artifact: Artifact;
  /** Who published or promoted it: a Slack user ID, or `api` for CI. */
  readonly createdBy: string;
  /** Set when an approver re-promoted an artifact that was rolled back (`/promote … --force`). */
  readonly forcedBy?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly phase: Phase;
  readonly stages: readonly Stage[];
  readonly approvals: readonly Approval[];
};
