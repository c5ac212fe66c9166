import type { Hold, Measurement, Predecessor, Promotion, RollbackCause } from './promotion.js';

/** Identifies one step of one promotion: the unit a job runs and reports on. */
export type StepRef =
  | { readonly kind: 'deploy'; readonly environment: number; readonly rolloutStep: number }
  | { readonly kind: 'test'; readonly environment: number; readonly test: number }
  | { readonly kind: 'rollback'; readonly environment: number };

export type StepResult = {
  readonly durationMs: number;
  readonly exitCode?: number;
  readonly httpStatus?: number;
  readonly timedOut?: boolean;
  readonly error?: string;
  readonly output: readonly string[];
};

export type AnalysisRef = { readonly step: number; readonly check: number };

/** Everything that can happen to a promotion. `at` comes from the engine's clock: the core has none. */
export type PromotionEvent = { readonly at: string } & (
  | { readonly type: 'environmentEntered'; readonly environment: number; readonly predecessor?: Predecessor }
  | { readonly type: 'environmentHeld'; readonly environment: number; readonly hold: Hold }
  | { readonly type: 'holdReleased'; readonly environment: number; readonly by: string }
  /** The freeze window that held it at `environment` ended at `endsAt`: it goes on, or waits for what holds it now. */
  | { readonly type: 'freezeEnded'; readonly environment: number; readonly endsAt: string }
  /** The soak that began when its tests passed in `environment` is over (`until` names which soak). */
  | { readonly type: 'soakEnded'; readonly environment: number; readonly until: string }
  /** `run` names one execution of the step; a later execution (after a crash or a lost lock) has another. */
  | { readonly type: 'stepStarted'; readonly step: StepRef; readonly run?: string }
  | {
      readonly type: 'stepSucceeded';
      readonly step: StepRef;
      readonly result: StepResult;
      readonly run?: string;
    }
  | {
      readonly type: 'stepFailed';
      readonly step: StepRef;
      readonly result: StepResult;
      readonly run?: string;
    }
  | {
      readonly type: 'analysisCompleted';
      readonly analysis: AnalysisRef;
      readonly measurements: readonly Measurement[];
    }
  | { readonly type: 'promoteRequested'; readonly by: string; readonly to?: string }
  | {
      readonly type: 'approvalDecided';
      readonly by: string;
      /** The approver user groups `by` belongs to, resolved by the engine. */
      readonly byGroups: readonly string[];
      readonly decision: 'approve' | 'reject';
      readonly reason?: string;
      /** The request decided on, when the decider's button says: a gate since closed and asked again is not it. */
      readonly requestedAt?: string;
    }
  | { readonly type: 'approvalExpired'; readonly requestedAt: string }
  /** Reminder `reminder` (1, 2, …) of the request made at `requestedAt` is due. */
  | { readonly type: 'reminderDue'; readonly requestedAt: string; readonly reminder: number }
  | { readonly type: 'rollbackRequested'; readonly by: string; readonly reason?: string }
  /** An approver answered the question about missing data. */
  | {
      readonly type: 'inconclusiveDecided';
      readonly askedAt: string;
      readonly by: string;
      readonly byGroups: readonly string[];
      readonly decision: 'continue' | 'rollback';
    }
  /** Nobody answered the question about missing data in time. */
  | { readonly type: 'inconclusiveUnanswered'; readonly askedAt: string }
  | { readonly type: 'superseded'; readonly by: string }
);

export type PromotionEventType = PromotionEvent['type'];

export type NoticeKind =
  | 'published'
  | 'stage_started'
  | 'stage_passed'
  | 'stage_failed'
  | 'step_finished'
  | 'soaking'
  | 'waiting'
  | 'approval_requested'
  | 'approval_recorded'
  | 'approval_decided'
  | 'approval_expired'
  | 'approval_reminder'
  | 'held'
  | 'hold_released'
  | 'rollout_step'
  | 'inconclusive_asked'
  | 'inconclusive_answered'
  | 'rollback_started'
  | 'rolled_back'
  | 'rollback_failed'
  | 'released'
  | 'superseded';

/** What the engine tells people. The notifier gets the promotion as it is after the transition. */
export type Notice = {
  readonly kind: NoticeKind;
  readonly environment?: string;
  readonly step?: string;
  readonly by?: string;
  readonly reason?: string;
  readonly cause?: RollbackCause;
  readonly result?: StepResult;
  /** An approval reminder: whom it reminds, and whom it brings in. */
  readonly remind?: {
    readonly waitingFor: readonly string[];
    readonly escalateTo?: readonly string[];
    readonly waitedMs: number;
  };
};

export type Effect =
  | { readonly type: 'enterEnvironment'; readonly environment: number }
  /** Frees the environment (or withdraws from its queue) and lets the next promotion in. */
  | { readonly type: 'leaveEnvironment'; readonly environment: number }
  | { readonly type: 'runStep'; readonly step: StepRef }
  | { readonly type: 'scheduleAnalysis'; readonly analysis: AnalysisRef; readonly delayMs: number }
  | { readonly type: 'scheduleApprovalExpiry'; readonly requestedAt: string; readonly delayMs: number }
  | {
      readonly type: 'scheduleReminder';
      readonly requestedAt: string;
      readonly reminder: number;
      readonly delayMs: number;
    }
  /** Wakes the promotion when the freeze window holding it at `environment` ends. */
  | { readonly type: 'scheduleInconclusiveDeadline'; readonly askedAt: string; readonly delayMs: number }
  | { readonly type: 'scheduleFreezeEnd'; readonly environment: number; readonly endsAt: string }
  /** Wakes the promotion when its soak in `environment` ends. */
  | { readonly type: 'scheduleSoakEnd'; readonly environment: number; readonly until: string }
  /** The environment now runs this promotion's artifact. */
  | { readonly type: 'recordDeployment'; readonly environment: number }
  /** A rollback undid this promotion's release: what ran before is current again. */
  | { readonly type: 'revertDeployment'; readonly environment: number }
  /** After an automatic rollback: refuse this digest in the environment until an approver forces it. */
  | { readonly type: 'quarantine'; readonly environment: number; readonly reason: string }
  | { readonly type: 'supersedeOlder' }
  | { readonly type: 'notify'; readonly notice: Notice };

export type Transition =
  | { readonly ok: true; readonly promotion: Promotion; readonly effects: readonly Effect[] }
  | { readonly ok: false; readonly reason: string };
