import { dirname, resolve } from 'node:path';
import { WebClient, WebClientEvent } from '@slack/web-api';
import type { Env, Role } from './config/env.js';
import { loadEnv } from './config/env.js';
import { formatProblems, loadPipelineFile } from './config/load-pipeline.js';
import type { Pipeline } from './domain/pipeline.js';
import { userGroupsOf } from './domain/user-groups.js';
import { createCommands } from './engine/commands.js';
import { createEngine } from './engine/engine.js';
import type { Clock, Directory, Notifier } from './engine/ports.js';
import { createHttpServer } from './http/server.js';
import { createLogger, type Logger } from './logger.js';
import { combineNotifiers } from './notify/combine-notifiers.js';
import { createLogNotifier } from './notify/log-notifier.js';
import { createMetrics } from './observability/metrics.js';
import { bullPrefix, createQueues } from './queue/queues.js';
import { createWakeUpRetention, type JobRemover } from './queue/wake-ups.js';
import { startWorkers } from './queue/workers.js';
import { type CleanableQueue, createRetentionPass } from './retention/retention-pass.js';
import { createSlackApp, type SlackApp } from './slack/app.js';
import { toBoltLogger } from './slack/bolt-logger.js';
import { createSlackDirectory } from './slack/directory.js';
import { checkChannels } from './slack/notifier/channel-check.js';
import { createDeliveryStatus, NO_DELIVERY_PROBLEMS } from './slack/notifier/delivery-status.js';
import { createLaneBell } from './slack/notifier/lane-bell.js';
import { createLanes } from './slack/notifier/lanes.js';
import { createSlackDelivery, type DeliveryOptions } from './slack/notifier/slack-delivery.js';
import { slackKeys } from './slack/notifier/slack-keys.js';
import {
  createSlackNotifier,
  DEFAULT_SLACK_NOTIFIER_OPTIONS,
  type SlackNotifierOptions,
  startSlackDeliveryWorker,
} from './slack/notifier/slack-notifier.js';
import { createSlackRetention } from './slack/notifier/slack-retention.js';
import { resolveStepIsolation } from './steps/run/step-user.js';
import { createAuditLog } from './store/audit-log.js';
import { createEnvironmentStore } from './store/environment-store.js';
import { createGroupMembersStore } from './store/group-members-store.js';
import { createKeys, type Keys } from './store/keys.js';
import { createPromotionStore } from './store/promotion-store.js';
import { connectRedis, type RedisClient } from './store/redis-client.js';
import { createRetentionBackfill } from './store/retention-backfill.js';
import { createRetentionStore } from './store/retention-store.js';
import { createServiceRegistry } from './store/service-registry.js';

export type BotOptions = {
  readonly env: Env;
  readonly role: Role;
  readonly pipeline: Pipeline;
  /** `run` steps start in this directory: the pipeline file's. */
  readonly pipelineDir: string;
  readonly log: Logger;
  readonly notifier?: Notifier;
  readonly directory?: Directory;
  readonly clock?: Clock;
  /** How old an outbox entry must be before the sweeper takes it over from the process that wrote it. */
  readonly sweepAfterMs?: number;
  readonly sweepEveryMs?: number;
  /** The environment `run` steps start from (the bot's secrets are stripped); this process's by default. */
  readonly stepBaseEnv?: Readonly<Record<string, string | undefined>>;
  /** Delivery's pacing and retry intervals (tests shorten them). */
  readonly slackDelivery?: Partial<
    SlackNotifierOptions & DeliveryOptions & { readonly sweepEveryMs: number }
  >;
  /** Retries of a single Web API call the listeners make (delivery retries in its lanes instead). */
  readonly slackRetries?: number;
  /** How often a worker runs the retention pass (RETENTION, AUDIT_RETENTION). */
  readonly retentionEveryMs?: number;
};

export type RunningBot = {
  /** The HTTP address when the role serves HTTP. */
  readonly url?: string;
  readonly commands: ReturnType<typeof createCommands>;
  readonly engine: ReturnType<typeof createEngine>;
  shutdown(): Promise<void>;
};

const systemClock: Clock = { now: () => new Date() };
const noGroups: Directory = { groupsOf: async () => ({ groups: [], failures: [] }) };

/** The composition root: opens Redis, builds the engine, the HTTP server and the workers, and wires them. */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const { env, log, pipeline, role } = options;
  const redis = connectRedis(env.redisTopology);
  redis.on('error', (error) => log.warn({ err: error }, 'redis connection error'));
  const keys = createKeys(env.redisPrefix);
  const promotions = createPromotionStore(redis, keys, { auditRetentionMs: env.auditRetentionMs });
  // On a Cluster each service's stream has its node's clock: an export leaves the last second for the next one.
  const audit = createAuditLog(redis, keys, { settleMs: env.redisTopology.kind === 'cluster' ? 1000 : 0 });
  const environments = createEnvironmentStore(redis, keys);
  const queues = createQueues(redis, env.redisPrefix);
  const clock = options.clock ?? systemClock;
  const closers: Array<() => Promise<void>> = [];

  const slackLanes = env.slackBotToken ? createLanes(redis, slackKeys(env.redisPrefix)) : undefined;
  const laneBell = createLaneBell();
  const deliveryStatus = env.slackBotToken
    ? createDeliveryStatus(redis, env.redisPrefix, log)
    : NO_DELIVERY_PROBLEMS;
  const notifiers = [createLogNotifier(log)];
  if (slackLanes) {
    const notifierOptions = { ...DEFAULT_SLACK_NOTIFIER_OPTIONS, ...options.slackDelivery };
    notifiers.push(createSlackNotifier(slackLanes, pipeline, notifierOptions, laneBell));
  }
  if (options.notifier) notifiers.push(options.notifier);
  const notifier = combineNotifiers(notifiers);
  const metrics = createMetrics(pipeline, {
    activePromotions: (service) => promotions.active(service),
    queueCounts: () => queues.counts(),
    deliveryProblems: () => deliveryStatus.problems(),
  });
  const engine = createEngine({
    pipeline,
    promotions,
    environments,
    scheduler: queues.scheduler,
    notifier,
    clock,
    log,
    observe: metrics.observeTransition,
  });

  const slackRetryConfig = {
    retries: options.slackRetries ?? 3,
    factor: 2,
    minTimeout: 200,
    maxTimeout: 5000,
  };
  const slackClient = env.slackBotToken
    ? new WebClient(env.slackBotToken, {
        slackApiUrl: env.slackApiUrl,
        retryConfig: slackRetryConfig,
        // Without it the client logs to the console, outside pino and its redaction.
        logger: toBoltLogger(log),
      })
    : undefined;
  slackClient?.on(WebClientEvent.RATE_LIMITED, () => metrics.observeSlackError('any', 'ratelimited'));
  // User-group members from a cache in Redis that the roles serving Slack refresh in the background.
  const slackDirectory =
    slackClient && !options.directory
      ? createSlackDirectory(slackClient, {
          log,
          store: createGroupMembersStore(redis, keys),
          groups: userGroupsOf(pipeline),
        })
      : undefined;
  const directory = options.directory ?? slackDirectory ?? noGroups;
  const commands = createCommands({ pipeline, engine, promotions, environments, directory, clock });
  const slack: SlackApp | undefined =
    env.slackBotToken && role !== 'worker'
      ? createSlackApp(
          {
            botToken: env.slackBotToken,
            apiUrl: env.slackApiUrl,
            log,
            ...(env.slackSigningSecret ? { signingSecret: env.slackSigningSecret } : {}),
            ...(env.slackAppToken ? { appToken: env.slackAppToken } : {}),
            ...(options.slackRetries === undefined ? {} : { retries: options.slackRetries }),
          },
          { commands, promotions, environments, pipeline, log, delivery: deliveryStatus },
        )
      : undefined;

  // Every role serves health and metrics; web (and all) serve Slack and the API too.
  const server = createHttpServer({
    apiToken: env.promotionApiToken ?? '',
    pipeline,
    commands,
    promotions,
    audit,
    metrics: metrics.registry,
    log,
    serveApi: role !== 'worker',
    ...(slack?.requestListener
      ? { slack: { listener: slack.requestListener, signingSecret: env.slackSigningSecret ?? '' } }
      : {}),
    ready: () => readiness(redis, pipeline),
  });
  const url = await server.listen({ port: env.port, host: env.host });
  log.info({ url, role }, 'http server listening');
  closers.push(() => server.close());

  if (role !== 'web') {
    const isolation = resolveStepIsolation(env.stepUser);
    if (isolation.separate) {
      log.info(
        { stepUser: isolation.identity.name, uid: isolation.identity.uid },
        'run steps execute as another user',
      );
    } else {
      log.error(
        { reason: isolation.reason },
        'run steps are NOT isolated from the bot: a step can read its secrets and approve its own promotion; run the bot as root with STEP_USER (README: "Running steps as another user")',
      );
    }
    const workers = startWorkers({
      ...(isolation.separate ? { stepUser: isolation.identity } : {}),
      connection: redis,
      prefix: env.redisPrefix,
      pipeline,
      pipelineDir: options.pipelineDir,
      stepBaseEnv: options.stepBaseEnv ?? process.env,
      engine,
      promotions,
      log,
      concurrency: env.workerConcurrency,
      lockDurationMs: env.jobLockDurationMs,
    });
    await workers.ready();
    const sweepAfterMs = options.sweepAfterMs ?? 15_000;
    const sweeper = setInterval(() => {
      engine.sweep(sweepAfterMs).catch((error: unknown) => log.error({ err: error }, 'sweep failed'));
    }, options.sweepEveryMs ?? 5_000);
    const retention = startRetention({
      redis,
      keys,
      env,
      pipeline,
      clock,
      log,
      queues: queues.queues,
      everyMs: options.retentionEveryMs ?? 60_000,
    });
    closers.push(async () => {
      clearInterval(sweeper);
      await retention.stop();
      await workers.close(env.jobLockDurationMs);
    });
    if (env.slackBotToken) {
      // Its own client, which never waits or retries inside a call: delivery paces and retries in its lanes.
      const deliveryClient = new WebClient(env.slackBotToken, {
        slackApiUrl: env.slackApiUrl,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        timeout: 15_000,
        logger: toBoltLogger(log),
      });
      const delivery = createSlackDelivery({
        redis,
        prefix: env.redisPrefix,
        client: deliveryClient,
        pipeline,
        promotions,
        environments,
        log,
        postsPerSecondPerChannel: env.slackPostsPerSecond,
        ...(options.slackDelivery ? { options: options.slackDelivery } : {}),
        onFailure: (method, code) => metrics.observeSlackError(method, code),
      });
      const slackWorker = startSlackDeliveryWorker({
        delivery,
        log,
        concurrency: env.workerConcurrency,
        leaseMs: Math.max(10_000, 2 * env.jobLockDurationMs),
        bell: laneBell,
        ...(options.slackDelivery?.sweepEveryMs ? { sweepEveryMs: options.slackDelivery.sweepEveryMs } : {}),
      });
      closers.push(() => slackWorker.close());
      // In the background: a slow Slack must not hold the start; what it finds is logged and shown in App Home.
      void checkChannels({
        client: deliveryClient,
        pipeline,
        unreachable: delivery.unreachable,
        lanes: delivery.lanes,
        log,
      }).catch((error: unknown) => log.warn({ err: error }, 'could not check the channels at start'));
    }
    log.info({ concurrency: env.workerConcurrency }, 'workers started');
  }
  if (slackDirectory && role !== 'worker') {
    slackDirectory.start();
    closers.push(async () => slackDirectory.stop());
  }
  if (slack) {
    await slack.start();
    closers.push(() => slack.stop());
  }

  let stopping: Promise<void> | undefined;
  return {
    ...(url ? { url } : {}),
    commands,
    engine,
    shutdown() {
      // Once: a signal handler and a caller may both ask.
      stopping ??= (async () => {
        for (const close of closers) await close();
        await queues.close();
        await redis.quit().catch(() => undefined);
      })();
      return stopping;
    },
  };
}

/**
 * The retention pass on a timer, one at a time in this process (other processes may run theirs meanwhile). Its
 * first run is one period after the start, so a fleet restarting together does not all begin at once.
 */
function startRetention(deps: {
  redis: RedisClient;
  keys: Keys;
  env: Env;
  pipeline: Pipeline;
  clock: Clock;
  log: Logger;
  queues: ReadonlyMap<string, CleanableQueue & JobRemover>;
  everyMs: number;
}): { stop(): Promise<void> } {
  const registry = createServiceRegistry(deps.redis, deps.keys);
  const runRetention = createRetentionPass({
    pipeline: deps.pipeline,
    store: createRetentionStore(deps.redis, deps.keys),
    registry,
    backfill: createRetentionBackfill(deps.redis, deps.keys, registry),
    forget: [
      createSlackRetention(deps.redis, slackKeys(deps.env.redisPrefix)),
      createWakeUpRetention(deps.redis, bullPrefix(deps.env.redisPrefix), deps.queues),
    ],
    queues: [...deps.queues.values()],
    clock: deps.clock,
    retentionMs: deps.env.retentionMs,
    auditRetentionMs: deps.env.auditRetentionMs,
    log: deps.log,
  });
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    running ??= runRetention()
      .catch((error: unknown) => deps.log.error({ err: error }, 'retention pass failed'))
      .finally(() => {
        running = undefined;
      });
  }, deps.everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

const READY_TIMEOUT_MS = 1000;

/** Ready when Redis answers within a second (commands queue while it is away, so a plain ping would hang). */
async function readiness(
  redis: RedisClient,
  pipeline: Pipeline,
): Promise<{ ok: boolean; checks: Record<string, string> }> {
  const timeout = new Promise<string>((resolve) =>
    setTimeout(() => resolve('no answer within 1s'), READY_TIMEOUT_MS).unref(),
  );
  // A connecting client answers once connected; one that lost Redis queues the ping, and the timeout answers.
  const ping = await Promise.race([
    redis.ping().then(
      () => 'ok',
      (error: Error) => `unreachable: ${error.message}`,
    ),
    timeout,
  ]);
  return { ok: ping === 'ok', checks: { redis: ping, pipeline: `${pipeline.services.size} services` } };
}

export type StartResult =
  | { readonly ok: true; readonly bot: RunningBot; readonly log: Logger }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Reads process.env and the pipeline file; the only place that does. */
export async function startFromProcessEnv(role: Role): Promise<StartResult> {
  const loaded = loadEnv(process.env, { role });
  if (!loaded.ok) return { ok: false, problems: loaded.problems };
  const { env } = loaded;
  const log = createLogger({ level: env.logLevel, pretty: process.env.NODE_ENV === 'development' });
  const file = resolve(env.pipelineFile);
  const pipeline = await loadPipelineFile(file);
  if (!pipeline.ok) return { ok: false, problems: formatProblems(pipeline.problems, env.pipelineFile) };
  const bot = await startBot({ env, role, pipeline: pipeline.pipeline, pipelineDir: dirname(file), log });
  return { ok: true, bot, log };
}
