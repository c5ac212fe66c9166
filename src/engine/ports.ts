import type { AuditEntry } from '../domain/audit.js';
import type { Restrictions } from '../domain/entering.js';
import type { AnalysisRef, Effect, Notice, StepRef } from '../domain/events.js';
import type { GroupLookup } from '../domain/group-lookup.js';
import type { Color, Hold, Promotion } from '../domain/promotion.js';

// What the engine needs from the outside, declared here by their consumer.

export type StoredPromotion = { readonly promotion: Promotion; readonly revision: number };

/**
 * The service's holds as read, with the revision they had: a commit or creation decided on them goes through only
 * while it is still theirs, so a hold placed meanwhile makes the engine decide again.
 */
export type RestrictionsRead = { readonly restrictions: Restrictions; readonly holdsRevision: string };

/** A promotion with what bears on it, read in one round trip: what the engine decides on. */
export type Snapshot = StoredPromotion & RestrictionsRead;

/** An effect waiting to be carried out; it stays in the outbox until done, so a crash cannot lose it. */
export type OutboxEntry = {
  readonly id: string;
  readonly promotionId: string;
  readonly at: string;
  readonly effect: Effect;
};

export type CreateResult =
  | { readonly kind: 'created'; readonly promotion: Promotion }
  | { readonly kind: 'existing'; readonly promotion: Promotion }
  | { readonly kind: 'conflict'; readonly digest: string; readonly promotionId: string }
  /** The service's holds changed since `holdsRevision` was read: decide again. */
  | { readonly kind: 'stale' }
  /** The identical artifact was published before, and its promotion has since been removed by retention. */
  | { readonly kind: 'removed'; readonly promotionId: string };

/** A published version whose promotion retention removed: its record (the digest it names for ever) stays. */
export type RemovedPromotion = {
  readonly removed: true;
  readonly promotionId: string;
  readonly digest: string;
};

export function isRemoved(found: Promotion | RemovedPromotion): found is RemovedPromotion {
  return 'removed' in found;
}

export type PromotionStore = {
  /** `replace`: the artifact was published before and its promotion ended; start it again (forced re-promotion). */
  create(
    promotion: Promotion,
    audit: AuditEntry,
    effects: readonly OutboxEntry[],
    options?: { replace?: boolean; holdsRevision?: string },
  ): Promise<CreateResult>;
  get(id: string): Promise<StoredPromotion | undefined>;
  snapshot(id: string): Promise<Snapshot | undefined>;
  /**
   * Atomically replaces revision `expected` with `next`; false when someone else moved it first, or when the
   * service's holds are no longer at `expected.holdsRevision` (if given).
   */
  commit(
    expected: StoredPromotion & { readonly holdsRevision?: string },
    next: Promotion,
    audit: AuditEntry,
    effects: readonly OutboxEntry[],
  ): Promise<boolean>;
  list(service: string, limit: number): Promise<readonly Promotion[]>;
  active(service: string): Promise<readonly Promotion[]>;
  /** The version's promotion; a removed one (past RETENTION) still says which it was and the digest it named. */
  findByVersion(service: string, version: string): Promise<Promotion | RemovedPromotion | undefined>;
  events(id: string): Promise<readonly AuditEntry[]>;
  appendAudit(promotion: Promotion, audit: AuditEntry): Promise<void>;
  pendingEffects(service: string): Promise<readonly OutboxEntry[]>;
  completeEffects(service: string, entryIds: readonly string[]): Promise<void>;
};

export type Deployment = {
  readonly promotionId: string;
  readonly version: string;
  readonly digest: string;
  /** The artifact's commit, when CI gave one (records written before it was kept have none). */
  readonly commit?: string;
  readonly color?: Color;
  readonly at: string;
};

/** An environment taken: the deployment there when it was (none before the first). */
export type Entered = { readonly current: Deployment | undefined };

export type EnvironmentStore = {
  /**
   * Takes the environment, or queues for it: when this promotion now holds it, what is deployed there as it took
   * it (undefined when it queued).
   */
  enter(service: string, environment: string, promotionId: string): Promise<Entered | undefined>;
  /** Frees it (or leaves its queue) and returns the promotion next in line, if any. */
  leave(service: string, environment: string, promotionId: string): Promise<string | undefined>;
  /** Environments that are free but still have promotions queued (after a crash between leave and enter). */
  stranded(
    service: string,
    environments: readonly string[],
  ): Promise<readonly { environment: string; promotionId: string }[]>;
  current(service: string, environment: string): Promise<Deployment | undefined>;
  record(service: string, environment: string, deployment: Deployment): Promise<void>;
  revert(service: string, environment: string, promotionId: string): Promise<void>;
  hold(service: string, environment: string | undefined): Promise<Hold | undefined>;
  holds(service: string): Promise<readonly Hold[]>;
  /** What bears on a promotion of `digest` that has not been created yet (one round trip). */
  restrictions(service: string, digest: string): Promise<RestrictionsRead>;
  /**
   * What a dry run of `version` reads, in one round trip: the service's holds, the version's published record,
   * why `digest` (else the published one) was rolled back, and what each of `environments` runs now.
   */
  outlook(
    service: string,
    environments: readonly string[],
    version: string,
    digest?: string,
  ): Promise<Outlook>;
  /** Places (or replaces) the hold on its environment, or on the whole service. */
  placeHold(service: string, hold: Hold): Promise<void>;
  /** Lifts the hold; with `placedAt`, only the hold placed then (a hold that ran out, not a newer one). */
  releaseHold(service: string, environment: string | undefined, placedAt?: string): Promise<boolean>;
  markBad(service: string, digest: string, reason: string): Promise<void>;
  clearBad(service: string, digest: string): Promise<void>;
  badReason(service: string, digest: string): Promise<string | undefined>;
};

/** What a dry run reads: nothing in it is written. */
export type Outlook = {
  readonly restrictions: Restrictions;
  /** The digest the version was published with, and its promotion's id (the record outlives the promotion). */
  readonly published?: { readonly digest: string; readonly promotionId: string };
  /** Each environment's current deployment, in the order asked. */
  readonly running: readonly (Deployment | undefined)[];
};

export type StepJob = { readonly promotionId: string; readonly service: string; readonly step: StepRef };
export type AnalysisJob = {
  readonly promotionId: string;
  readonly service: string;
  readonly analysis: AnalysisRef;
};
export type ExpiryJob = {
  readonly promotionId: string;
  readonly service: string;
  readonly requestedAt: string;
};

/** A hold placed `for` a while: lifted when it runs out, if it is still the hold placed at `placedAt`. */
export type HoldExpiryJob = {
  readonly service: string;
  readonly environment?: string;
  readonly placedAt: string;
};

/** The end of the wait for an answer about missing data asked at `askedAt`. */
export type InconclusiveDeadlineJob = {
  readonly promotionId: string;
  readonly service: string;
  readonly askedAt: string;
  /** When it is due by the scheduling process's clock: a worker whose clock is behind waits until then. */
  readonly dueAt?: string;
};

/** Reminder `reminder` of the approval request made at `requestedAt`. */
export type ReminderJob = {
  readonly promotionId: string;
  readonly service: string;
  readonly requestedAt: string;
  readonly reminder: number;
  /** When it is due by the scheduling process's clock: a worker whose clock is behind waits until then. */
  readonly dueAt?: string;
};

/** Wakes a promotion held by a freeze window when the window ends. */
export type FreezeEndJob = {
  readonly promotionId: string;
  readonly service: string;
  readonly environment: number;
  readonly endsAt: string;
};

/** Wakes a promotion when its soak in an environment ends. */
export type SoakEndJob = {
  readonly promotionId: string;
  readonly service: string;
  readonly environment: number;
  readonly until: string;
};

export type JobScheduler = {
  runStep(job: StepJob, options: { attempts: number; backoffMs: number }): Promise<void>;
  scheduleAnalysis(job: AnalysisJob, delayMs: number): Promise<void>;
  scheduleApprovalExpiry(job: ExpiryJob, delayMs: number): Promise<void>;
  scheduleHoldExpiry(job: HoldExpiryJob, delayMs: number): Promise<void>;
  scheduleFreezeEnd(job: FreezeEndJob, delayMs: number): Promise<void>;
  scheduleReminder(job: ReminderJob, delayMs: number): Promise<void>;
  scheduleInconclusiveDeadline(job: InconclusiveDeadlineJob, delayMs: number): Promise<void>;
  scheduleSoakEnd(job: SoakEndJob, delayMs: number): Promise<void>;
};

export type Notifier = {
  notify(promotion: Promotion, notice: Notice): Promise<void>;
};

/**
 * Which of `groups` a user belongs to (Slack user groups), and which could not be read (never thrown: a failed
 * lookup is an answer the caller must act on); the log-only setup knows none.
 */
export type Directory = {
  groupsOf(user: string, groups: readonly string[]): Promise<GroupLookup>;
};

export type Clock = { now(): Date };
