import type { Pipeline } from '../domain/pipeline.js';
import type { Clock } from '../engine/ports.js';
import type { Logger } from '../logger.js';
import type { BackfillReport } from '../store/retention-backfill.js';
import type { RetentionStore } from '../store/retention-store.js';
import type { KnownService, ServiceRegistry } from '../store/service-registry.js';

/** What one pass removed. */
export type RetentionReport = {
  promotions: number;
  jobs: number;
  auditEntries: number;
  backfilled: number;
  /** Services gone from the pipeline with nothing left, no longer gone through. */
  servicesForgotten: number;
};

/** A queue whose finished jobs can be cleaned by age (BullMQ's Queue). */
export type CleanableQueue = {
  clean(graceMs: number, limit: number, type: 'completed' | 'failed'): Promise<string[]>;
};

export type RetentionPassDeps = {
  readonly pipeline: Pipeline;
  readonly store: RetentionStore;
  /** The services with keys in Redis: those no longer in the pipeline are cleaned like the rest. */
  readonly registry: Pick<ServiceRegistry, 'register' | 'known' | 'forgetIfEmpty'>;
  /** Indexes promotions that finished before retention existed; run each pass until it says it is done. */
  readonly backfill: { run(pages: number): Promise<BackfillReport> };
  /** Deletes what else a removed promotion left, in other slots (its Slack state); must be idempotent. */
  readonly forget: ReadonlyArray<(promotionIds: readonly string[]) => Promise<void>>;
  readonly queues: readonly CleanableQueue[];
  readonly clock: Clock;
  readonly retentionMs: number;
  readonly auditRetentionMs: number;
  readonly log: Logger;
  /** Promotions per script call: small, so no call holds Redis for long. */
  readonly batch?: number;
  /** SCAN pages the backfill walks per pass. */
  readonly backfillPages?: number;
};

const BATCH = 100;
/** Batches per service in one pass: the next pass goes on where this one stopped. */
const MAX_ROUNDS = 50;
/** Finished jobs cleaned per queue and kind in one pass (BullMQ removes them in calls of this many). */
const JOBS_PER_PASS = 1000;
/** SCAN pages (of about 1000 keys) the backfill walks per pass: a few seconds' work at most, then the removal. */
const BACKFILL_PAGES = 200;

/**
 * One retention pass: finished promotions older than RETENTION go, in batches, with what they left elsewhere;
 * finished jobs older than that too (every job of a removed promotion finished before it did); the audit streams
 * are trimmed at AUDIT_RETENTION. Any number of processes may run it at once: each step decides on what it reads
 * in one script, and deleting what is gone already changes nothing.
 */
export function createRetentionPass(deps: RetentionPassDeps) {
  const batch = deps.batch ?? BATCH;

  async function forget(service: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await Promise.all(deps.forget.map((forgetState) => forgetState(ids)));
    await deps.store.forget(service, ids);
  }

  async function removePromotions(service: string, environments: readonly string[]): Promise<number> {
    const finishedBefore = deps.clock.now().getTime() - deps.retentionMs;
    let removed = 0;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      // Left by a pass that stopped between the removal and the clean-up (a crash, another process's batch).
      const leftovers = await deps.store.retired(service, batch);
      await forget(service, leftovers);
      const ids = await deps.store.removeFinished(service, environments, finishedBefore, batch);
      await forget(service, ids);
      removed += ids.length;
      if (ids.length === 0 && leftovers.length < batch) break;
    }
    return removed;
  }

  async function cleanJobs(): Promise<number> {
    let cleaned = 0;
    for (const queue of deps.queues) {
      for (const type of ['completed', 'failed'] as const)
        cleaned += (await queue.clean(deps.retentionMs, JOBS_PER_PASS, type)).length;
    }
    return cleaned;
  }

  const inPipeline: KnownService[] = [...deps.pipeline.services.values()].map((service) => ({
    name: service.name,
    environments: service.environments.map((environment) => environment.name),
  }));
  const inFileNames = new Set(inPipeline.map((service) => service.name));
  let backfilled = false;

  /**
   * The pipeline's services, then those only Redis remembers (removed from the file), each with every environment
   * it ever had: one out of the file now still runs what it ran, and that promotion must be there if it comes back.
   * Those only Redis remembers wait for the one-time walk: until it has met a service's deployment records, the
   * registry does not know what its environments run, and removing would take that too.
   */
  async function services(walked: boolean): Promise<KnownService[]> {
    // Every pass, not once: another process may have forgotten one of them while it had nothing yet.
    await deps.registry.register(inPipeline);
    const remembered = new Map((await deps.registry.known()).map((service) => [service.name, service]));
    const inFile = inPipeline.map((service) => ({
      name: service.name,
      environments: [
        ...new Set([...service.environments, ...(remembered.get(service.name)?.environments ?? [])]),
      ],
    }));
    for (const service of inPipeline) remembered.delete(service.name);
    return walked ? [...inFile, ...remembered.values()] : inFile;
  }

  return async function runRetention(): Promise<RetentionReport> {
    const report: RetentionReport = {
      promotions: 0,
      jobs: 0,
      auditEntries: 0,
      backfilled: 0,
      servicesForgotten: 0,
    };
    if (!backfilled) {
      const walked = await deps.backfill.run(deps.backfillPages ?? BACKFILL_PAGES);
      report.backfilled = walked.indexed;
      backfilled = walked.done;
    }
    for (const service of await services(backfilled)) {
      report.promotions += await removePromotions(service.name, service.environments);
      report.auditEntries += await deps.store.trimAudit(service.name, deps.auditRetentionMs);
      if (!inFileNames.has(service.name) && (await deps.registry.forgetIfEmpty(service.name)))
        report.servicesForgotten++;
    }
    report.jobs = await cleanJobs();
    if (Object.values(report).some((count) => count > 0))
      deps.log.info(report, 'retention removed what outlived its time');
    return report;
  };
}
