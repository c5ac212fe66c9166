import type { WebClient } from '@slack/web-api';
import { renderMetricChartPng, toMetricChartInput } from '../../chart/index.js';
import { breachStepOf, describeBreachStep } from '../../domain/breach-step.js';
import type { Notice, NoticeKind } from '../../domain/events.js';
import { type Pipeline, productionIndex, productionOf, type Service } from '../../domain/pipeline.js';
import type { Promotion } from '../../domain/promotion.js';
import type { EnvironmentStore, PromotionStore } from '../../engine/ports.js';
import type { Logger } from '../../logger.js';
import type { RedisClient } from '../../store/redis-client.js';
import { renderFailureNotice } from '../blocks/render-failure-notice.js';
import { renderGate } from '../blocks/render-gate.js';
import { renderGateExpired, renderGateReminder } from '../blocks/render-gate-reminder.js';
import { renderInconclusiveQuestion } from '../blocks/render-inconclusive-question.js';
import { renderPromotionMessage } from '../blocks/render-promotion-message.js';
import { renderRollbackNotice } from '../blocks/render-rollback-notice.js';
import { renderStageDetail } from '../blocks/render-stage-detail.js';
import type { SlackMessage } from '../blocks/slack-message.js';
import { createLanes } from './lanes.js';
import { createPacing } from './pacing.js';
import { backoffMs, classifySlackFailure, unreachableAdvice } from './slack-failure.js';
import { slackKeys } from './slack-keys.js';
import { createSlackState, type PromotionMessages } from './slack-state.js';
import { createUnreachableChannels, WORKSPACE } from './unreachable-channels.js';

export type SlackClient = {
  readonly chat: Pick<WebClient['chat'], 'postMessage' | 'update'>;
  readonly conversations: Pick<WebClient['conversations'], 'history' | 'replies' | 'info'>;
  readonly filesUploadV2: WebClient['filesUploadV2'];
};

export type DeliveryOptions = {
  /** First wait after a transient failure (5xx, network); doubles each time up to `maxRetryDelayMs`. */
  readonly retryDelayMs: number;
  readonly maxRetryDelayMs: number;
  /** How often a channel the bot cannot post in is tried again (one call), besides the invite event. */
  readonly unreachableRetryMs: number;
};

export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = {
  retryDelayMs: 1000,
  maxRetryDelayMs: 60_000,
  unreachableRetryMs: 30_000,
};

export type DeliveryDeps = {
  readonly redis: RedisClient;
  readonly prefix: string;
  readonly client: SlackClient;
  readonly pipeline: Pipeline;
  readonly promotions: PromotionStore;
  readonly environments: EnvironmentStore;
  readonly log: Logger;
  readonly postsPerSecondPerChannel: number;
  readonly options?: Partial<DeliveryOptions>;
  readonly onFailure?: (method: string, code: string) => void;
  readonly clock?: () => Date;
};

/** What one go at a promotion's notices came to. */
export type AdvanceOutcome =
  | { readonly kind: 'done' }
  /** Slack's limits (or a transient failure) say: come back at `at`; `method`'s budget or pause, if that is why. */
  | { readonly kind: 'later'; readonly at: number; readonly method?: string; readonly channel?: string }
  /** It waits on a channel the bot cannot post in (or on the whole workspace) until about `at`. */
  | { readonly kind: 'blocked'; readonly channel: string; readonly at: number };

type CallContext = {
  readonly promotionId: string;
  readonly urgent: boolean;
  /** A look for an earlier post, not the delivery itself. */
  readonly lookup?: boolean;
};

class Later extends Error {
  constructor(
    readonly at: number,
    /** The method whose budget, pause or permission made it wait (none: a transient failure). */
    readonly method?: string,
    readonly channel?: string,
    readonly notAllowed = false,
  ) {
    super('later');
  }
}
class Blocked extends Error {
  constructor(
    readonly channel: string,
    readonly at: number,
  ) {
    super(`blocked on ${channel}`);
  }
}
/** This promotion's notices cannot go out at all (Slack refused its promotion message for good). */
class SetAside extends Error {}

class Gone extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

// Production passes with `released`, not `stage_passed`: its rollout steps belong in the thread too.
const THREAD_NOTICES: ReadonlySet<NoticeKind> = new Set(['stage_passed', 'stage_failed', 'released']);
const ROLLBACK_NOTICES: ReadonlySet<NoticeKind> = new Set([
  'rollback_started',
  'rolled_back',
  'rollback_failed',
]);
const GATE_UPDATES: ReadonlySet<NoticeKind> = new Set([
  'approval_recorded',
  'approval_decided',
  'approval_expired',
  'superseded',
  'held',
]);
/** What people are waiting on goes before routine stage updates, in the lane and in the method budgets. */
export const URGENT_NOTICES: ReadonlySet<NoticeKind> = new Set([
  'approval_requested',
  'inconclusive_asked',
  'inconclusive_answered',
  'approval_reminder',
  'approval_recorded',
  'approval_decided',
  'approval_expired',
  'stage_failed',
  'rollback_started',
  'rolled_back',
  'rollback_failed',
]);

/** `parentStale`: the parent's edit still owed, and whether it follows an urgent notice. */
const ROUTINE_EDIT = '1';
const URGENT_EDIT = 'urgent';

const METADATA_EVENT = 'promotion_bot_message';
/** A method the app lacks the scope for is tried again after this long. */
const NOT_ALLOWED_PAUSE_MS = 5 * 60_000;
/** Failures of our own code for one promotion before its notices are set aside (with an error log). */
const MAX_ERRORS = 5;

/**
 * Turns a promotion's pending notices into Slack messages, in order: one parent message edited in place,
 * stage details in its thread, the gate message, and failure and rollback notices in the alert channel.
 * A notice leaves the pending list only once Slack has accepted it (or refused it for good).
 */
export function createSlackDelivery(deps: DeliveryDeps) {
  const options = { ...DEFAULT_DELIVERY_OPTIONS, ...deps.options };
  const keys = slackKeys(deps.prefix);
  const state = createSlackState(deps.redis, keys);
  const lanes = createLanes(deps.redis, keys);
  const pacing = createPacing(deps.redis, keys.tag, deps.postsPerSecondPerChannel);
  const unreachable = createUnreachableChannels(deps.redis, keys, options.unreachableRetryMs);
  const now = deps.clock ?? (() => new Date());

  async function blockedUntil(channel: string): Promise<number> {
    return (await unreachable.retryAt(channel)) ?? Date.now() + options.unreachableRetryMs;
  }

  /**
   * One Web API call, the way every call goes: only when the workspace and the channel are reachable (or it is
   * their turn to be tried), within the method's budget, and with Slack's answer sorted into what to do next.
   * Returns undefined when Slack refused it for good (the caller moves on).
   */
  async function call<T>(
    method: string,
    channel: string,
    context: CallContext,
    send: () => Promise<T>,
  ): Promise<T | undefined> {
    for (const target of [WORKSPACE, channel]) {
      if (!(await unreachable.mayTry(target))) throw new Blocked(target, await blockedUntil(target));
    }
    const wait = await pacing.acquire({ method, channel, urgent: context.urgent });
    if (wait > 0) throw new Later(Date.now() + wait, method, channel);
    try {
      const result = await send();
      await Promise.all([
        reachable(channel),
        // A look at the channel succeeding says nothing about the post that keeps failing.
        context.lookup ? undefined : deps.redis.hdel(keys.messages(context.promotionId), 'failures'),
      ]);
      return result;
    } catch (error) {
      if (error instanceof Later || error instanceof Blocked) throw error;
      const failure = classifySlackFailure(error, method);
      deps.onFailure?.(method, failure.code);
      const log = deps.log.child({ promotionId: context.promotionId, method, channel, code: failure.code });
      switch (failure.kind) {
        case 'rate-limited':
          await pacing.pause(method, channel, failure.retryAfterMs);
          log.info({ retryAfterMs: failure.retryAfterMs }, 'slack rate limited a call; waiting as it asked');
          throw new Later(Date.now() + failure.retryAfterMs, method, channel);
        case 'transient': {
          const failures = await state.count(context.promotionId, 'failures');
          const delay = backoffMs(failures, options.retryDelayMs, options.maxRetryDelayMs);
          log.warn({ err: error, failures, retryInMs: delay }, 'slack call failed; trying again later');
          throw new Later(Date.now() + delay);
        }
        case 'channel-unreachable':
          if (await unreachable.mark(channel, failure.code)) {
            log.error(
              { advice: unreachableAdvice(channel, failure.code) },
              `promotion-bot cannot post in ${channel} (${failure.code}); its messages wait until /invite @promotion-bot`,
            );
          }
          throw new Blocked(channel, await blockedUntil(channel));
        case 'not-allowed':
          // Only this method: the others (and the other channels) go on while someone reinstalls the app.
          await pacing.pause(method, undefined, NOT_ALLOWED_PAUSE_MS);
          log.error(
            { err: error },
            `the app may not call ${method} (${failure.code}): reinstall it from manifest.yml to grant the scope`,
          );
          throw new Later(Date.now() + NOT_ALLOWED_PAUSE_MS, method, channel, true);
        case 'workspace-blocked':
          if (await unreachable.mark(WORKSPACE, failure.code)) {
            log.error(
              'slack refuses the bot token for every call; messages wait until the token or the app installation is fixed',
            );
          }
          throw new Blocked(WORKSPACE, await blockedUntil(WORKSPACE));
        case 'message-gone':
          throw new Gone(failure.code);
        case 'refused':
          log.error({ err: error }, 'slack refused a message for good; it is dropped and delivery goes on');
          return undefined;
      }
    }
  }

  async function reachable(channel: string): Promise<void> {
    const cleared = await unreachable.clearAll(WORKSPACE, channel);
    if (cleared[1]) deps.log.info({ channel }, 'promotion-bot can post in the channel again');
    if (cleared.some(Boolean)) await lanes.wakeAll();
  }

  type PostOptions = { readonly threadTs?: string; readonly key: string; readonly urgent: boolean };

  /**
   * Posts a message that carries its promotion and key in Slack's metadata. When an earlier attempt may have
   * reached Slack unanswered (a crash, a timeout), the channel is looked at first, so it is never posted twice.
   */
  async function post(
    promotionId: string,
    channel: string,
    message: SlackMessage,
    { threadTs, key, urgent }: PostOptions,
  ): Promise<string | undefined> {
    const context = { promotionId, urgent };
    const [postingKey, postingAt] = ((await state.get(promotionId)).posting ?? '').split('@');
    const retried = postingKey === key;
    if (retried) {
      const found = await findPosted(promotionId, channel, key, threadTs, urgent, Number(postingAt));
      if (found) return found;
    }
    const reply = await call('chat.postMessage', channel, context, async () => {
      // Marked once the call may go: from here on Slack may take it without our hearing back. The mark stays
      // until the next post replaces it, so a crash before the result is recorded still finds this post.
      if (!retried) await state.set(promotionId, { posting: `${key}@${Date.now()}` });
      try {
        return await deps.client.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          // Only the links and mentions the renderers wrote are live; Slack links nothing else by itself.
          parse: 'none',
          link_names: false,
          metadata: { event_type: METADATA_EVENT, event_payload: { promotion_id: promotionId, key } },
          ...(threadTs ? { thread_ts: threadTs } : {}),
        });
      } catch (error) {
        // Slack answered no: it did not take the post, so the next try need not look for it.
        if (slackAnswered(error)) await state.unset(promotionId, 'posting');
        throw error;
      }
    });
    if (reply && !reply.ts) throw new Error(`chat.postMessage to ${channel} returned no ts`);
    return reply?.ts;
  }

  async function findPosted(
    promotionId: string,
    channel: string,
    key: string,
    threadTs: string | undefined,
    urgent: boolean,
    markedAt: number,
  ): Promise<string | undefined> {
    const context = { promotionId, urgent, lookup: true };
    // Slack's ts are seconds: from a little before the post was first tried.
    const oldest = Number.isFinite(markedAt) ? String(Math.floor(markedAt / 1000) - 60) : undefined;
    try {
      return await lookFor(promotionId, channel, key, threadTs, context, oldest);
    } catch (error) {
      // Without the history scope, posting again (rarely twice) beats never posting.
      if (error instanceof Later && error.notAllowed) return undefined;
      throw error;
    }
  }

  async function lookFor(
    promotionId: string,
    channel: string,
    key: string,
    threadTs: string | undefined,
    context: CallContext,
    oldest: string | undefined,
  ): Promise<string | undefined> {
    const since = oldest === undefined ? {} : { oldest };
    const recent = threadTs
      ? await call('conversations.replies', channel, context, () =>
          deps.client.conversations.replies({
            channel,
            ts: threadTs,
            include_all_metadata: true,
            limit: 200,
            ...since,
          }),
        ).catch((error: unknown) => {
          if (error instanceof Gone) return undefined;
          throw error;
        })
      : await call('conversations.history', channel, context, () =>
          deps.client.conversations.history({ channel, include_all_metadata: true, limit: 200, ...since }),
        );
    const mine = (recent?.messages ?? []).find((m) => {
      const metadata = m.metadata as
        | { event_type?: string; event_payload?: Record<string, unknown> }
        | undefined;
      return (
        metadata?.event_type === METADATA_EVENT &&
        metadata.event_payload?.promotion_id === promotionId &&
        metadata.event_payload?.key === key
      );
    });
    return mine?.ts;
  }

  async function update(
    promotionId: string,
    channel: string,
    ts: string,
    message: SlackMessage,
    urgent: boolean,
  ): Promise<void> {
    await call('chat.update', channel, { promotionId, urgent }, () =>
      deps.client.chat.update({
        channel,
        ts,
        text: message.text,
        blocks: message.blocks,
        parse: 'none',
        link_names: false,
      }),
    );
  }

  /** The parent message's ts, posting it first when there is none yet or Slack said it is gone. */
  async function ensureParent(
    promotion: Promotion,
    service: Service,
    messages: PromotionMessages,
    urgent: boolean,
  ): Promise<{ parentTs: string; fresh: boolean }> {
    if (messages.parentTs && !messages.parentGone) return { parentTs: messages.parentTs, fresh: false };
    const posts = Number(messages.parentPosts ?? '0') + 1;
    const parentTs = await post(
      promotion.id,
      service.channel,
      renderPromotionMessage(promotion, service, now().toISOString()),
      {
        key: `parent.${posts}`,
        urgent,
      },
    );
    if (!parentTs) throw new SetAside('slack refused the promotion message');
    await state.commit(promotion.id, { parentTs, channel: service.channel, parentPosts: String(posts) }, [
      'parentGone',
    ]);
    if (messages.parentGone) deps.log.info({ promotionId: promotion.id }, 'promotion message posted again');
    return { parentTs, fresh: true };
  }

  /** Posts the gate under the notice's own key, so a retry of the same notice finds it. */
  async function postGate(promotion: Promotion, service: Service, key: string): Promise<void> {
    const ts = await post(promotion.id, service.channel, await gateOf(promotion, service), {
      key: `gate.${key}`,
      urgent: true,
    });
    if (ts) await state.commit(promotion.id, { gateTs: ts }, ['gateGone']);
  }

  async function deliver(
    promotion: Promotion,
    service: Service,
    { seq, notice }: { seq: number; notice: Notice },
    parentTs: string,
    collapsed: boolean,
  ): Promise<void> {
    const id = promotion.id;
    const urgent = URGENT_NOTICES.has(notice.kind);
    const messages = await state.get(id);
    // A notice may take several messages; when a retry delivers it again, the ones Slack already took are skipped.
    const done = Number(messages.headSent ?? '0');
    let sent = 0;
    async function once(send: () => Promise<unknown>): Promise<void> {
      sent += 1;
      if (sent <= done) return;
      await send();
      await state.set(id, { headSent: String(sent) });
    }
    const key = () => `n${seq}.${sent}`;
    if (THREAD_NOTICES.has(notice.kind) && notice.environment) {
      const environment = notice.environment;
      await once(() =>
        threadReply(
          id,
          service.channel,
          renderStageDetail(promotion, service, environment),
          parentTs,
          key(),
          urgent,
        ),
      );
    }
    if (notice.kind === 'stage_failed') {
      await once(() =>
        post(id, service.alertChannel, renderFailureNotice(promotion, service, notice), {
          key: key(),
          urgent,
        }),
      );
    }
    if (notice.kind === 'approval_requested') await once(() => postGate(promotion, service, key()));
    const { gateTs } = messages;
    // Reminders and an expiry go in the gate's thread, where the approvers look (the promotion's, without a gate).
    if (notice.kind === 'approval_reminder' || notice.kind === 'approval_expired') {
      const message =
        notice.kind === 'approval_reminder'
          ? renderGateReminder(promotion, service, notice)
          : renderGateExpired(promotion, service);
      await once(async () => {
        if (!gateTs || messages.gateGone)
          return threadReply(id, service.channel, message, parentTs, key(), true);
        try {
          await post(id, service.channel, message, { threadTs: gateTs, key: key(), urgent: true });
        } catch (error) {
          if (!(error instanceof Gone)) throw error;
          await state.set(id, { gateGone: '1' });
          await threadReply(id, service.channel, message, parentTs, key(), true);
        }
      });
    }
    // Edits render the promotion as it is now: of several pending, only the last needs to go out.
    if (GATE_UPDATES.has(notice.kind) && gateTs && !collapsed) {
      await once(async () => {
        if (messages.gateGone) return postGate(promotion, service, key());
        try {
          await update(id, service.channel, gateTs, await gateOf(promotion, service), true);
        } catch (error) {
          if (!(error instanceof Gone)) throw error;
          deps.log.info({ promotionId: id }, 'the gate message is gone; posting it again');
          await state.set(id, { gateGone: '1' });
          await postGate(promotion, service, key());
        }
      });
    }
    if (notice.kind === 'inconclusive_asked') {
      await once(async () => {
        const ts = await post(id, service.alertChannel, renderInconclusiveQuestion(promotion, service), {
          key: key(),
          urgent: true,
        });
        if (ts) await state.set(id, { questionTs: ts });
      });
    }
    if (notice.kind === 'inconclusive_answered') {
      const answered = renderInconclusiveQuestion(promotion, service, notice);
      await once(async () => {
        const { questionTs } = await state.get(id);
        if (!questionTs) {
          await post(id, service.alertChannel, answered, { key: key(), urgent: true });
          return;
        }
        try {
          await update(id, service.alertChannel, questionTs, answered, true);
        } catch (error) {
          if (!(error instanceof Gone)) throw error;
          await post(id, service.alertChannel, answered, { key: key(), urgent: true });
        }
      });
    }
    if (ROLLBACK_NOTICES.has(notice.kind)) {
      const running = await runningInProduction(service);
      const message = renderRollbackNotice(promotion, service, notice, { running });
      // The final notice carries the chart, where people look: in the promotion's thread and under the alert.
      const chart =
        notice.kind === 'rollback_started' ? undefined : rollbackChart(promotion, service, notice);
      await once(() => threadReply(id, service.channel, message, parentTs, key(), true));
      const alert = service.alertChannel !== service.channel;
      if (alert) {
        await once(async () => {
          const ts = await post(id, service.alertChannel, message, { key: key(), urgent: true });
          // Cleared when Slack refused it: the chart must not land under an earlier notice.
          if (ts) await state.set(id, { alertTs: ts });
          else await state.unset(id, 'alertTs');
        });
      }
      // The notices first (people act on them), then the charts: same order on every retry, so `once` counts true.
      if (chart) {
        await once(() => uploadChart(id, service.channel, parentTs, chart));
        const { alertTs } = alert ? await state.get(id) : {};
        if (alertTs) await once(() => uploadChart(id, service.alertChannel, alertTs, chart));
      }
    }
  }

  /** What production runs now, as every message says it: its current deployment record. */
  async function runningInProduction(service: Service) {
    const current = await deps.environments.current(service.name, productionOf(service).name);
    if (!current) return undefined;
    const { version, digest, commit } = current;
    return commit ? { version, digest, commit } : { version, digest };
  }

  /** A reply in the promotion's thread; if Slack says the thread is gone, the parent is posted again first. */
  async function threadReply(
    promotionId: string,
    channel: string,
    message: SlackMessage,
    parentTs: string,
    key: string,
    urgent: boolean,
  ): Promise<void> {
    try {
      await post(promotionId, channel, message, { threadTs: parentTs, key, urgent });
    } catch (error) {
      if (!(error instanceof Gone)) throw error;
      await state.set(promotionId, { parentGone: '1' });
      throw new Later(Date.now());
    }
  }

  /** People read a chart faster than numbers: the breaching metric against its threshold, under the notice. */
  async function uploadChart(
    promotionId: string,
    channel: string,
    threadTs: string,
    chart: RollbackChart,
  ): Promise<void> {
    await call('files.getUploadURLExternal', channel, { promotionId, urgent: true }, () =>
      deps.client.filesUploadV2({
        channel_id: channel,
        thread_ts: threadTs,
        file: chart.png,
        filename: 'rollback-metric.png',
        title: chart.title,
      }),
    ).catch((error: unknown) => {
      // The chart illustrates a notice already posted; a gone thread is not worth a second notice.
      if (!(error instanceof Gone)) throw error;
    });
  }

  async function gateOf(promotion: Promotion, service: Service): Promise<SlackMessage> {
    const runningNow = await runningInProduction(service);
    return renderGate(promotion, service, { now: now().toISOString(), runningInProduction: runningNow });
  }

  /**
   * Edits the parent message to the promotion's state now (posting it again if it is gone). `urgent` when it
   * follows what people wait on (a gate's decision, a failure): its status line must not lag the gate's by a
   * minute of routine budget.
   */
  async function refreshParent(promotion: Promotion, service: Service, urgent: boolean): Promise<void> {
    const messages = await state.get(promotion.id);
    if (messages.parentTs && !messages.parentGone) {
      try {
        const message = renderPromotionMessage(promotion, service, now().toISOString());
        await update(promotion.id, service.channel, messages.parentTs, message, urgent);
        await state.unset(promotion.id, 'parentStale');
        return;
      } catch (error) {
        if (!(error instanceof Gone)) throw error;
        deps.log.info(
          { promotionId: promotion.id, code: error.code },
          'the promotion message is gone; posting it again',
        );
        // Recorded first: if the new post has to wait, the next go posts it rather than edit the gone one again.
        await state.set(promotion.id, { parentGone: '1' });
      }
    }
    await ensureParent(promotion, service, await state.get(promotion.id), urgent);
    await state.unset(promotion.id, 'parentStale');
  }

  /**
   * After an interrupted delivery: the notices went out, but the parent's edit may not have. Once it returns, no
   * edit is owed: the lane keeps a promotion that owes one, and would run it again and again.
   */
  async function refreshStaleParent(promotionId: string): Promise<void> {
    const { parentStale } = await state.get(promotionId);
    if (!parentStale) return;
    const stored = await deps.promotions.get(promotionId);
    const service = stored && deps.pipeline.services.get(stored.promotion.artifact.service);
    if (stored && service) await refreshParent(stored.promotion, service, parentStale === URGENT_EDIT);
    else await state.unset(promotionId, 'parentStale');
  }

  async function deliverAll(promotionId: string): Promise<void> {
    for (;;) {
      const pending = await state.pending(promotionId);
      if (pending.length === 0) {
        await refreshStaleParent(promotionId);
        return;
      }
      const stored = await deps.promotions.get(promotionId);
      const service = stored && deps.pipeline.services.get(stored.promotion.artifact.service);
      if (!stored || !service) {
        deps.log.warn({ promotionId }, 'slack notices for an unknown promotion or service are dropped');
        await state.dropPending(promotionId, pending.length);
        continue;
      }
      const { promotion } = stored;
      const messages = await state.get(promotionId);
      const urgent = pending.some((entry) => URGENT_NOTICES.has(entry.notice.kind));
      const { parentTs, fresh } = await ensureParent(promotion, service, messages, urgent);
      // Kept urgent until it goes: the edit a retry makes is the one this batch owed.
      const stale = urgent || messages.parentStale === URGENT_EDIT ? URGENT_EDIT : ROUTINE_EDIT;
      if (!fresh && messages.parentStale !== stale) await state.set(promotionId, { parentStale: stale });
      const lastGateUpdate = pending.findLastIndex((entry) => GATE_UPDATES.has(entry.notice.kind));
      let left = 0;
      for (const [index, entry] of pending.entries()) {
        const collapsed = GATE_UPDATES.has(entry.notice.kind) && index !== lastGateUpdate;
        await deliver(promotion, service, entry, parentTs, collapsed);
        left = await state.dropPending(promotionId, 1);
      }
      // The promotion was read after these notices: a stage it passed since has its reply go first, so the parent
      // does not say how far it got above a thread that lacks the stage (only a notice not yet recorded, in the
      // moment between a commit and its outbox, can still follow the parent's edit).
      if (left > 0) continue;
      if (!fresh) await refreshParent(promotion, service, stale === URGENT_EDIT);
      deps.log.debug({ promotionId, delivered: pending.length }, 'slack notices delivered');
    }
  }

  /** Drops what is pending for a promotion that cannot be delivered, saying so once, loudly. */
  async function setAside(promotionId: string, why: string): Promise<void> {
    const count = await state.pendingCount(promotionId);
    await state.dropPending(promotionId, count);
    // Its parent edit too: the promotion leaves its lane only once nothing is owed.
    await state.unset(promotionId, 'errors', 'blockedOn', 'parentStale');
    deps.log.error({ promotionId, dropped: count }, `slack notices of the promotion set aside: ${why}`);
  }

  /** Delivers what Slack lets it of one promotion's pending notices now. */
  async function advance(promotionId: string): Promise<AdvanceOutcome> {
    try {
      await deliverAll(promotionId);
      await state.unset(promotionId, 'blockedOn', 'errors');
      return { kind: 'done' };
    } catch (error) {
      if (error instanceof Later) {
        const { at, method, channel } = error;
        return { kind: 'later', at, ...(method ? { method } : {}), ...(channel ? { channel } : {}) };
      }
      if (error instanceof SetAside) {
        await setAside(promotionId, error.message);
        return { kind: 'done' };
      }
      if (error instanceof Blocked) {
        await state.set(promotionId, { blockedOn: error.channel });
        return { kind: 'blocked', channel: error.channel, at: error.at };
      }
      // Our own failure (a render bug, bad state): backed off, and set aside if it keeps happening.
      const errors = await state.count(promotionId, 'errors');
      deps.log.error({ err: error, promotionId, errors }, 'slack delivery failed in the bot itself');
      if (errors >= MAX_ERRORS) {
        await setAside(promotionId, 'it failed in the bot itself several times');
        return { kind: 'done' };
      }
      return {
        kind: 'later',
        at: Date.now() + backoffMs(errors, options.retryDelayMs, options.maxRetryDelayMs),
      };
    }
  }

  return { advance, state, lanes, unreachable };
}

/** An error that is Slack's own answer (`ok: false`, or a 429), not a lost or failed request. */
function slackAnswered(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return code === 'slack_webapi_platform_error' || code === 'slack_webapi_rate_limited_error';
}

type RollbackChart = { readonly png: Buffer; readonly title: string };

/** The breaching metric over the rollout's checks, titled with the rollout step where it breached. */
function rollbackChart(promotion: Promotion, service: Service, notice: Notice): RollbackChart | undefined {
  const cause = notice.cause;
  if (!cause || (cause.kind !== 'metric-breach' && cause.kind !== 'inconclusive')) return undefined;
  const measurement = cause.measurements.find((m) => m.verdict === 'breach') ?? cause.measurements[0];
  const samples = promotion.stages[productionIndex(service)]?.samples ?? [];
  if (!measurement || samples.length === 0) return undefined;
  const { version } = promotion.artifact;
  const breachedAt = samples.at(-1)?.at;
  const step = breachStepOf(promotion, service, cause);
  const where = step ? describeBreachStep(step, cause) : undefined;
  const png = renderMetricChartPng(
    toMetricChartInput({
      service: service.name,
      version,
      measurement,
      samples,
      ...(breachedAt ? { breachedAt } : {}),
      ...(where ? { breachedStep: where } : {}),
    }),
  );
  const title = `${measurement.metric} against its threshold during the rollout${where ? `: ${where}` : ''}`;
  return { png, title };
}

export type SlackDelivery = ReturnType<typeof createSlackDelivery>;
