// The engine and commands on the run's Redis, with the real stores and BullMQ queues (no workers: a test reports
// steps itself, as a worker would). A test may wrap a store to act at one exact moment between two of its calls,
// the way a second process would.
import { pino } from 'pino';
import type { StepRef } from '../../../src/domain/events.js';
import type { Service } from '../../../src/domain/pipeline.js';
import type { Promotion } from '../../../src/domain/promotion.js';
import { createCommands } from '../../../src/engine/commands.js';
import { createEngine, type Engine } from '../../../src/engine/engine.js';
import type { EnvironmentStore, Notifier, PromotionStore } from '../../../src/engine/ports.js';
import { createQueues } from '../../../src/queue/queues.js';
import { createEnvironmentStore } from '../../../src/store/environment-store.js';
import { createKeys } from '../../../src/store/keys.js';
import { createPromotionStore } from '../../../src/store/promotion-store.js';
import { connectTestRedis, uniquePrefix } from '../../support/redis.js';

export type Wraps = {
  readonly promotions?: (store: PromotionStore) => PromotionStore;
  readonly environments?: (store: EnvironmentStore) => EnvironmentStore;
};

export const OWNER = 'U0ALICE';
export const APPROVER = 'U0CAROL';

export function openEngine(service: Service, wraps: Wraps = {}) {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('engine');
  const keys = createKeys(prefix);
  const promotions = createPromotionStore(redis, keys);
  const environments = createEnvironmentStore(redis, keys);
  const queues = createQueues(redis, prefix);
  const notices: Array<{ readonly promotionId: string; readonly kind: string; readonly by?: string }> = [];
  const notifier: Notifier = {
    async notify(promotion, notice) {
      notices.push({ promotionId: promotion.id, kind: notice.kind, ...(notice.by ? { by: notice.by } : {}) });
    },
  };
  const pipeline = { services: new Map([[service.name, service]]) };
  const clock = { now: () => new Date() };
  const deps = {
    pipeline,
    promotions: wraps.promotions?.(promotions) ?? promotions,
    environments: wraps.environments?.(environments) ?? environments,
  };
  const engine: Engine = createEngine({
    ...deps,
    scheduler: queues.scheduler,
    notifier,
    clock,
    log: pino({ level: 'silent' }),
  });
  const commands = createCommands({
    ...deps,
    engine,
    directory: { groupsOf: async () => ({ groups: [], failures: [] }) },
    clock,
  });

  let versions = 0;
  /** Publishes a fresh version (a digest of its own unless given). */
  async function publish(digest?: string): Promise<Promotion> {
    versions += 1;
    const version = `1.0.${versions}`;
    const result = await commands.publish(
      {
        service: service.name,
        version,
        digest: digest ?? `sha256:${versions.toString(16).padStart(64, '0')}`,
      },
      'api',
    );
    if (result.kind !== 'created') throw new Error(`publish of ${version}: ${result.kind}`);
    return result.promotion;
  }

  async function current(id: string): Promise<Promotion> {
    const stored = await promotions.get(id);
    if (!stored) throw new Error(`no promotion ${id}`);
    return stored.promotion;
  }

  /** A step's report, as its worker would give it. */
  async function report(id: string, step: StepRef, ok = true) {
    const run = `run-${Math.random().toString(36).slice(2)}`;
    await engine.dispatch(id, { type: 'stepStarted', step, run });
    return engine.dispatch(id, {
      type: ok ? 'stepSucceeded' : 'stepFailed',
      step,
      run,
      result: { durationMs: 1, output: [], ...(ok ? {} : { exitCode: 1 }) },
    });
  }

  return {
    redis,
    keys,
    promotions,
    environments,
    queues,
    engine,
    commands,
    notices,
    publish,
    current,
    report,
    async close() {
      await queues.close();
      await redis.quit();
    },
  };
}

export type EngineHarness = ReturnType<typeof openEngine>;
