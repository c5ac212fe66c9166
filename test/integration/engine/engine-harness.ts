// The engine and the commands built in this process the way src/main.ts wires them: real Redis stores under a key
// prefix of the test's own, the real BullMQ scheduler with no workers (so the queued jobs can be read back), a
// clock the test moves, and recording ports for notices and user groups. Step results are reported by the test,
// as a worker would report them.
import type { Job, JobType } from 'bullmq';
import { pino } from 'pino';
import type { Notice, StepRef } from '../../../src/domain/events.js';
import type { GroupLookupFailure } from '../../../src/domain/group-lookup.js';
import type { Pipeline, Service } from '../../../src/domain/pipeline.js';
import type { Promotion } from '../../../src/domain/promotion.js';
import { type Commands, createCommands } from '../../../src/engine/commands.js';
import { createEngine, type Engine, type EngineDeps } from '../../../src/engine/engine.js';
import type {
  Clock,
  Directory,
  EnvironmentStore,
  Notifier,
  PromotionStore,
  Snapshot,
} from '../../../src/engine/ports.js';
import { createQueues, type QueueName, type Queues } from '../../../src/queue/queues.js';
import { createEnvironmentStore } from '../../../src/store/environment-store.js';
import { createKeys, type Keys } from '../../../src/store/keys.js';
import { createPromotionStore } from '../../../src/store/promotion-store.js';
import {
  aDeploy,
  anApproval,
  anArtifact,
  anEnvironment,
  aProduction,
  aRunStep,
  aService,
  HOUR,
} from '../../support/pipeline-builder.js';
import { connectTestRedis, uniquePrefix } from '../../support/redis.js';

/** dev -> staging (one test) -> production: gate, one all-at-once deploy, a rollback step, no monitor. */
export const shop: Service = aService({
  name: 'shop',
  channel: 'C0SHOP',
  alertChannel: 'C0SHOPALERTS',
  owners: ['U0ALICE', 'S0SREGROUP'],
  environments: [
    anEnvironment('development'),
    anEnvironment('staging', { tests: ['acceptance'] }),
    aProduction({
      deploy: aDeploy(),
      monitor: undefined,
      approval: anApproval({ expiresAfterMs: 2 * HOUR }),
    }),
  ],
});

/** Like shop, but staging waits for a /promote and its deploy is retried twice. */
export const ledger: Service = aService({
  name: 'ledger',
  channel: 'C0LEDGER',
  alertChannel: 'C0LEDGER',
  environments: [
    anEnvironment('development'),
    anEnvironment('staging', {
      promote: 'manual',
      deploy: aDeploy({ step: aRunStep('./deploy.sh', { retries: 2, retryBackoffMs: 3000 }) }),
    }),
    aProduction({ deploy: aDeploy(), monitor: undefined }),
  ],
});

/** Production is blue-green: the rollout deploys the idle colour, then switches to it. */
export const cart: Service = aService({
  name: 'cart',
  channel: 'C0CART',
  alertChannel: 'C0CART',
  environments: [
    anEnvironment('development'),
    aProduction({ deploy: aDeploy({ strategy: 'blue-green' }), monitor: undefined }),
  ],
});

/** The contract's checkout: a canary 10/50/100 watched by an error-rate monitor every 30s. */
export const checkout: Service = aService();

export const PIPELINE: Pipeline = {
  services: new Map([shop, ledger, cart, checkout].map((service) => [service.name, service])),
};

export const START = Date.parse('2026-03-02T09:00:00.000Z');

export type TestClock = Clock & { advance(ms: number): void };

export function createTestClock(start = START): TestClock {
  let now = start;
  return {
    now: () => new Date(now),
    advance(ms) {
      now += ms;
    },
  };
}

export type RecordedNotice = { readonly promotionId: string; readonly version: string } & Notice;

/** Records every notice; `failOn(kind)` makes the next notice of that kind throw, as a down Slack would. */
export type RecordingNotifier = Notifier & {
  readonly notices: RecordedNotice[];
  failOn(kind: Notice['kind']): void;
  kindsFor(promotionId: string): string[];
};

export function createRecordingNotifier(): RecordingNotifier {
  const notices: RecordedNotice[] = [];
  const failing = new Set<string>();
  return {
    notices,
    failOn(kind) {
      failing.add(kind);
    },
    kindsFor: (promotionId) => notices.filter((n) => n.promotionId === promotionId).map((n) => n.kind),
    async notify(promotion, notice) {
      if (failing.delete(notice.kind)) throw new Error(`could not deliver ${notice.kind}`);
      notices.push({ promotionId: promotion.id, version: promotion.artifact.version, ...notice });
    },
  } satisfies RecordingNotifier;
}

/** User groups by member; groups listed in `failing` cannot be read (the lookup says why). */
export type TestDirectory = Directory & {
  readonly members: Map<string, string[]>;
  readonly failing: GroupLookupFailure[];
  readonly lookups: Array<{ user: string; groups: readonly string[] }>;
};

export function createTestDirectory(): TestDirectory {
  const members = new Map<string, string[]>();
  const failing: GroupLookupFailure[] = [];
  const lookups: Array<{ user: string; groups: readonly string[] }> = [];
  return {
    members,
    failing,
    lookups,
    async groupsOf(user, groups) {
      lookups.push({ user, groups });
      const failures = failing.filter((failure) => groups.includes(failure.group));
      const of = (members.get(user) ?? []).filter(
        (group) => groups.includes(group) && !failures.some((f) => f.group === group),
      );
      return { groups: of, failures };
    },
  } satisfies TestDirectory;
}

export type HarnessOptions = {
  readonly pipeline?: Pipeline;
  /** Stands between the engine and the real promotion store (a racing process, a crash, a slow commit). */
  readonly promotions?: (real: PromotionStore) => PromotionStore;
  readonly environments?: (real: EnvironmentStore) => EnvironmentStore;
  readonly observe?: EngineDeps['observe'];
};

export type Harness = {
  readonly prefix: string;
  readonly keys: Keys;
  readonly redis: ReturnType<typeof connectTestRedis>;
  readonly pipeline: Pipeline;
  /** The real stores, without any wrapper: what another process would see. */
  readonly promotions: PromotionStore;
  readonly environments: EnvironmentStore;
  readonly queues: Queues;
  readonly clock: TestClock;
  readonly notifier: RecordingNotifier;
  readonly directory: TestDirectory;
  readonly engine: Engine;
  readonly commands: Commands;
  /** Another process on the same Redis: its own engine and commands over the real stores (no wrappers). */
  readonly other: { readonly engine: Engine; readonly commands: Commands };
  /** A process that loaded another pipeline file, over the same stores. */
  withPipeline(pipeline: Pipeline): { readonly engine: Engine; readonly commands: Commands };
  close(): Promise<void>;
};

const silent = pino({ level: 'silent' });

export function openHarness(options: HarnessOptions = {}): Harness {
  const redis = connectTestRedis();
  const prefix = uniquePrefix('engine');
  const keys = createKeys(prefix);
  const pipeline = options.pipeline ?? PIPELINE;
  const promotions = createPromotionStore(redis, keys);
  const environments = createEnvironmentStore(redis, keys);
  const queues = createQueues(redis, prefix);
  const clock = createTestClock();
  const notifier = createRecordingNotifier();
  const directory = createTestDirectory();

  function build(
    stores: { promotions: PromotionStore; environments: EnvironmentStore },
    pipeline = options.pipeline ?? PIPELINE,
  ) {
    const engine = createEngine({
      pipeline,
      ...stores,
      scheduler: queues.scheduler,
      notifier,
      clock,
      log: silent,
      ...(options.observe ? { observe: options.observe } : {}),
    });
    const commands = createCommands({ pipeline, engine, ...stores, directory, clock });
    return { engine, commands };
  }

  const wrapped = build({
    promotions: options.promotions ? options.promotions(promotions) : promotions,
    environments: options.environments ? options.environments(environments) : environments,
  });
  return {
    prefix,
    keys,
    redis,
    pipeline,
    promotions,
    environments,
    queues,
    clock,
    notifier,
    directory,
    ...wrapped,
    other: build({ promotions, environments }),
    withPipeline: (loaded) => build({ promotions, environments }, loaded),
    async close() {
      await queues.close();
      await redis.quit();
    },
  };
}

let digests = 0;

/** A fresh digest for every artifact a test publishes. */
export function aDigest(): string {
  digests += 1;
  return `sha256:${digests.toString(16).padStart(64, 'c')}`;
}

/** Publishes `version` of `service` as CI would (by `api`), one second after the last publish. */
export async function publish(h: Harness, service: Service, version: string, digest = aDigest()) {
  h.clock.advance(1000);
  const result = await h.commands.publish(anArtifact({ service: service.name, version, digest }), 'api');
  if (result.kind !== 'created') throw new Error(`publish of ${version} was ${result.kind}`);
  return result.promotion;
}

export async function current(h: Harness, id: string): Promise<Promotion> {
  const stored = await h.promotions.get(id);
  if (!stored) throw new Error(`no promotion ${id}`);
  return stored.promotion;
}

export async function phaseOf(h: Harness, id: string): Promise<Promotion['phase']> {
  return (await current(h, id)).phase;
}

const RESULT = { durationMs: 1200, exitCode: 0, output: ['ok'] };

/** Reports `step` as a worker would once it ran; the engine's answer is returned. */
export function succeed(h: Harness, id: string, step: StepRef, known?: Snapshot) {
  return h.engine.dispatch(id, { type: 'stepSucceeded', step, result: RESULT }, known);
}

export function fail(h: Harness, id: string, step: StepRef) {
  return h.engine.dispatch(id, {
    type: 'stepFailed',
    step,
    result: { durationMs: 800, exitCode: 1, output: ['boom'] },
  });
}

export const deployIn = (environment: number, rolloutStep = 0): StepRef => ({
  kind: 'deploy',
  environment,
  rolloutStep,
});

/** Runs shop (or ledger) from publish to its production gate: development and staging deployed and tested. */
export async function toShopGate(h: Harness, version: string, digest = aDigest()): Promise<Promotion> {
  const promotion = await publish(h, shop, version, digest);
  await succeed(h, promotion.id, deployIn(0));
  await succeed(h, promotion.id, deployIn(1));
  await succeed(h, promotion.id, { kind: 'test', environment: 1, test: 0 });
  const atGate = await current(h, promotion.id);
  if (atGate.phase.kind !== 'awaiting_approval') throw new Error(`${version} is ${atGate.phase.kind}`);
  return atGate;
}

/** shop `version` approved by U0CAROL and deployed to production: released. */
export async function releaseShop(h: Harness, version: string, digest = aDigest()): Promise<Promotion> {
  const atGate = await toShopGate(h, version, digest);
  await h.commands.decide(atGate.id, 'approve', { user: 'U0CAROL' });
  await succeed(h, atGate.id, deployIn(2));
  const released = await current(h, atGate.id);
  if (released.phase.kind !== 'released') throw new Error(`${version} is ${released.phase.kind}`);
  return released;
}

export type QueuedJob = {
  readonly id: string | undefined;
  readonly name: string;
  readonly data: unknown;
  readonly delay: number;
  readonly attempts: number | undefined;
};

const PENDING: JobType[] = ['waiting', 'delayed', 'prioritized', 'paused'];

/** The jobs waiting in one queue: what a worker would pick up. */
export async function jobsIn(h: Harness, queue: QueueName): Promise<QueuedJob[]> {
  const found = h.queues.queues.get(queue);
  if (!found) throw new Error(`no queue ${queue}`);
  const jobs: Job[] = await found.getJobs(PENDING);
  return jobs
    .map((job) => ({
      id: job.id,
      name: job.name,
      data: job.data,
      delay: job.delay,
      attempts: job.opts.attempts,
    }))
    .sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
}

/** Who holds the environment's lock now (a promotion id), if anyone. */
export async function holderOf(h: Harness, service: string, environment: string): Promise<string | null> {
  return h.redis.get(h.keys.lock(service, environment));
}

export async function queueOf(h: Harness, service: string, environment: string): Promise<string[]> {
  return h.redis.lrange(h.keys.queue(service, environment), 0, -1);
}
