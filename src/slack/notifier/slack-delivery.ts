import type { WebClient } from '@slack/web-api';
import { renderMetricChartPng, toMetricChartInput } from '../../chart/index.js';
import type { Notice } from '../../domain/events.js';
import type { Pipeline, Service } from '../../domain/pipeline.js';
import type { Promotion } from '../../domain/promotion.js';
import type { EnvironmentStore, PromotionStore } from '../../engine/ports.js';
import type { Logger } from '../../logger.js';
import type { RedisClient } from '../../store/redis-client.js';
import { renderFailureNotice } from '../blocks/render-failure-notice.js';
import { renderGate } from '../blocks/render-gate.js';
import { renderPromotionMessage } from '../blocks/render-promotion-message.js';
import { renderRollbackNotice } from '../blocks/render-rollback-notice.js';
import { renderStageDetail } from '../blocks/render-stage-detail.js';
import type { SlackMessage } from '../blocks/slack-message.js';
import { createChannelRate } from './channel-rate.js';
import { createSlackState } from './slack-state.js';

export type SlackClient = {
  readonly chat: Pick<WebClient['chat'], 'postMessage' | 'update'>;
  readonly filesUploadV2: WebClient['filesUploadV2'];
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
  readonly clock?: () => Date;
};

// Production passes with `released`, not `stage_passed`: its rollout steps belong in the thread too.
const THREAD_NOTICES: ReadonlySet<Notice['kind']> = new Set(['stage_passed', 'stage_failed', 'released']);
const ROLLBACK_NOTICES: ReadonlySet<Notice['kind']> = new Set([
  'rollback_started',
  'rolled_back',
  'rollback_failed',
]);
const GATE_UPDATES: ReadonlySet<Notice['kind']> = new Set([
  'approval_recorded',
  'approval_decided',
  'approval_expired',
  'superseded',
  'held',
]);

/**
 * Turns a promotion's pending notices into Slack messages, in order: one parent message edited in place,
 * stage details in its thread, the gate message, and failure and rollback notices in the alert channel.
 * A notice leaves the pending list only once Slack has accepted it.
 */
export function createSlackDelivery(deps: DeliveryDeps) {
  const state = createSlackState(deps.redis, deps.prefix);
  const rate = createChannelRate(deps.redis, deps.prefix, deps.postsPerSecondPerChannel);
  const now = deps.clock ?? (() => new Date());

  async function post(channel: string, message: SlackMessage, threadTs?: string): Promise<string> {
    for (;;) {
      // A post refused with 429 waits out Retry-After and then takes a fresh slot like any other post, so a
      // retry never lands on top of the next paced message.
      await rate.waitForSlot(channel);
      try {
        const reply = await deps.client.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
          // Only the links and mentions the renderers wrote are live; Slack links nothing else by itself.
          parse: 'none',
          link_names: false,
          ...(threadTs ? { thread_ts: threadTs } : {}),
        });
        if (!reply.ts) throw new Error(`chat.postMessage to ${channel} returned no ts`);
        return reply.ts;
      } catch (error) {
        const retryAfterMs = rateLimitedFor(error);
        if (retryAfterMs === undefined) throw error;
        deps.log.info({ channel, retryAfterMs }, 'slack rate limited a post; waiting');
        await new Promise((resolve) => setTimeout(resolve, retryAfterMs));
      }
    }
  }

  async function update(channel: string, ts: string, message: SlackMessage): Promise<void> {
    await deps.client.chat.update({
      channel,
      ts,
      text: message.text,
      blocks: message.blocks,
      parse: 'none',
      link_names: false,
    });
  }

  async function deliver(
    promotion: Promotion,
    service: Service,
    notice: Notice,
    parentTs: string,
  ): Promise<void> {
    const messages = await state.get(promotion.id);
    // A notice may take two messages; when a retry delivers it again, the ones Slack already took are skipped.
    const done = Number(messages.headSent ?? '0');
    let sent = 0;
    async function once(send: () => Promise<unknown>): Promise<void> {
      sent += 1;
      if (sent <= done) return;
      await send();
      await state.set(promotion.id, { headSent: String(sent) });
    }
    if (THREAD_NOTICES.has(notice.kind) && notice.environment) {
      const environment = notice.environment;
      await once(() => post(service.channel, renderStageDetail(promotion, service, environment), parentTs));
    }
    if (notice.kind === 'stage_failed') {
      await once(() => post(service.alertChannel, renderFailureNotice(promotion, service, notice)));
    }
    if (notice.kind === 'approval_requested') {
      await once(async () => {
        const ts = await post(service.channel, await gateOf(promotion, service));
        await state.set(promotion.id, { gateTs: ts });
      });
    }
    const { gateTs } = messages;
    if (GATE_UPDATES.has(notice.kind) && gateTs) {
      await once(async () => update(service.channel, gateTs, await gateOf(promotion, service)));
    }
    if (ROLLBACK_NOTICES.has(notice.kind)) {
      const production = service.environments.at(-1)?.name ?? '';
      const running = await deps.environments.current(service.name, production);
      const message = renderRollbackNotice(
        promotion,
        service,
        notice,
        running ? { runningNow: running.version } : {},
      );
      await once(() => post(service.channel, message, parentTs));
      let alertTs = parentTs;
      if (service.alertChannel !== service.channel) {
        await once(async () => {
          alertTs = await post(service.alertChannel, message);
          await state.set(promotion.id, { alertTs });
        });
        alertTs = (await state.get(promotion.id)).alertTs ?? alertTs;
      }
      const chart = notice.kind === 'rollback_started' ? rollbackChart(promotion, notice) : undefined;
      if (chart) await once(() => uploadChart(service.alertChannel, alertTs, chart));
    }
  }

  /** People read a chart faster than numbers: the breaching metric against its threshold, under the notice. */
  async function uploadChart(channel: string, threadTs: string, chart: Buffer): Promise<void> {
    await deps.client.filesUploadV2({
      channel_id: channel,
      thread_ts: threadTs,
      file: chart,
      filename: 'rollback-metric.png',
      title: 'Metric against its threshold during the rollout',
    });
  }

  async function gateOf(promotion: Promotion, service: Service): Promise<SlackMessage> {
    const production = service.environments.at(-1)?.name ?? '';
    const running = await deps.environments.current(service.name, production);
    const context = {
      now: now().toISOString(),
      ...(running ? { runningInProduction: { version: running.version, digest: running.digest } } : {}),
    };
    return renderGate(promotion, service, context);
  }

  /** Edits the parent message to the promotion's state now, and remembers that it is up to date. */
  async function refreshParent(promotion: Promotion, service: Service, parentTs: string): Promise<void> {
    await update(service.channel, parentTs, renderPromotionMessage(promotion, service));
    await state.unset(promotion.id, 'parentStale');
  }

  /** After a failed delivery: the notices went out, but the parent's edit may not have. */
  async function refreshStaleParent(promotionId: string): Promise<void> {
    const { parentTs, parentStale } = await state.get(promotionId);
    if (!parentTs || !parentStale) return;
    const stored = await deps.promotions.get(promotionId);
    const service = stored && deps.pipeline.services.get(stored.promotion.artifact.service);
    if (stored && service) await refreshParent(stored.promotion, service, parentTs);
  }

  /** Delivers everything pending for one promotion; returns how many notices went out. */
  async function drain(promotionId: string): Promise<number> {
    let delivered = 0;
    for (;;) {
      const pending = await state.pending(promotionId);
      if (pending.length === 0) {
        await refreshStaleParent(promotionId);
        return delivered;
      }
      const stored = await deps.promotions.get(promotionId);
      const service = stored && deps.pipeline.services.get(stored.promotion.artifact.service);
      if (!stored || !service) {
        await state.dropPending(promotionId, pending.length);
        return delivered;
      }
      const { promotion } = stored;
      let { parentTs } = await state.get(promotionId);
      const fresh = !parentTs;
      if (!parentTs) {
        parentTs = await post(service.channel, renderPromotionMessage(promotion, service));
        await state.set(promotionId, { parentTs, channel: service.channel });
      } else {
        await state.set(promotionId, { parentStale: '1' });
      }
      for (const notice of pending) {
        await deliver(promotion, service, notice, parentTs);
        await state.dropPending(promotionId, 1);
        delivered++;
      }
      if (!fresh) await refreshParent(promotion, service, parentTs);
      deps.log.debug({ promotionId, delivered: pending.length }, 'slack notices delivered');
    }
  }

  return { drain, state };
}

/** Milliseconds Slack asked us to wait, when the error is a 429 (the client is set to reject those). */
function rateLimitedFor(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  if (error.code !== 'slack_webapi_rate_limited_error') return undefined;
  const seconds = 'retryAfter' in error && typeof error.retryAfter === 'number' ? error.retryAfter : 1;
  return seconds * 1000;
}

function rollbackChart(promotion: Promotion, notice: Notice): Buffer | undefined {
  const cause = notice.cause;
  if (!cause || (cause.kind !== 'metric-breach' && cause.kind !== 'inconclusive')) return undefined;
  const measurement = cause.measurements.find((m) => m.verdict === 'breach') ?? cause.measurements[0];
  const samples = promotion.stages.at(-1)?.samples ?? [];
  if (!measurement || samples.length === 0) return undefined;
  const { service: name, version } = promotion.artifact;
  const breachedAt = samples.at(-1)?.at;
  return renderMetricChartPng(
    toMetricChartInput({
      service: name,
      version,
      measurement,
      samples,
      ...(breachedAt ? { breachedAt } : {}),
    }),
  );
}

export type SlackDelivery = ReturnType<typeof createSlackDelivery>;
