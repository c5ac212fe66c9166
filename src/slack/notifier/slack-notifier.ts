import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Pipeline } from '../../domain/pipeline.js';
import type { Notifier } from '../../engine/ports.js';
import type { Logger } from '../../logger.js';
import type { Lanes } from './lanes.js';
import { type SlackDelivery, URGENT_NOTICES } from './slack-delivery.js';
import { WORKSPACE } from './unreachable-channels.js';

export type SlackNotifierOptions = {
  /** Routine notices that arrive within this window go out together: one edit of the parent message, not five. */
  readonly coalesceMs: number;
};

export const DEFAULT_SLACK_NOTIFIER_OPTIONS: SlackNotifierOptions = { coalesceMs: 300 };

/** The engine's Notifier for Slack: records the notice in its channel's lane (delivery is never inline). */
export function createSlackNotifier(
  lanes: Lanes,
  pipeline: Pipeline,
  options: SlackNotifierOptions,
): Notifier {
  return {
    async notify(promotion, notice) {
      const lane = pipeline.services.get(promotion.artifact.service)?.channel ?? 'unknown';
      const urgent = URGENT_NOTICES.has(notice.kind);
      await lanes.enqueue(promotion.id, lane, notice, { urgent, delayMs: urgent ? 0 : options.coalesceMs });
    },
  };
}

export type SlackDeliveryWorkerOptions = {
  readonly delivery: SlackDelivery;
  readonly log: Logger;
  /** Lanes (channels) delivered at once by this process. */
  readonly concurrency: number;
  /** A lane's lease: a killed deliverer's lane is taken over after it. */
  readonly leaseMs: number;
  /** How often an idle worker looks for a lane that came due. */
  readonly pollMs?: number;
  /** How often the sweeper puts back promotions whose lane entry a lost write dropped. */
  readonly sweepEveryMs?: number;
};

/** A lane holds a worker at most this long while it can post, so a busy channel takes turns with the others. */
const TURN_MS = 2000;
const LANE_BATCH = 100;

/**
 * Delivers the lanes that are due, `concurrency` at a time. A lane is given back as soon as Slack's limits say
 * wait, with the time it may run again: the wait never holds a worker another channel needs.
 */
export function startSlackDeliveryWorker(options: SlackDeliveryWorkerOptions) {
  const { delivery, log } = options;
  const { lanes } = delivery;
  const pollMs = options.pollMs ?? 100;
  const controller = new AbortController();
  const process = `${hostname()}:${globalThis.process.pid}:${randomUUID().slice(0, 8)}`;

  async function runLane(lane: string, owner: string): Promise<void> {
    const renewal = setInterval(() => {
      lanes.renew(lane, owner, options.leaseMs).catch(() => undefined);
    }, options.leaseMs / 3);
    const turnEnds = Date.now() + TURN_MS;
    const waiting = new Set<string>();
    let nextAt = Date.now();
    try {
      for (;;) {
        const promotionId = (await lanes.promotionsOf(lane, LANE_BATCH)).find((id) => !waiting.has(id));
        if (!promotionId) break;
        const outcome = await delivery.advance(promotionId);
        if (outcome.kind === 'done') {
          await lanes.settle(lane, promotionId);
        } else if (outcome.kind === 'later') {
          nextAt = outcome.at;
          break;
        } else {
          // Others in the lane may go to channels the bot can post in; this one waits for its channel.
          waiting.add(promotionId);
          nextAt = waiting.size === 1 ? outcome.at : Math.min(nextAt, outcome.at);
          if (outcome.channel === WORKSPACE) break;
        }
        if (Date.now() >= turnEnds) {
          nextAt = Math.min(nextAt, Date.now());
          break;
        }
      }
    } catch (error) {
      log.error(
        { err: error, channel: lane },
        'slack delivery failed unexpectedly; the lane is tried again soon',
      );
      nextAt = Date.now() + 5000;
    } finally {
      clearInterval(renewal);
      await lanes.finish(lane, owner, nextAt).catch((error: unknown) => {
        log.warn({ err: error, channel: lane }, 'could not give a slack lane back; its lease runs out');
      });
    }
  }

  async function loop(index: number): Promise<void> {
    const owner = `${process}:${index}`;
    const { signal } = controller;
    while (!signal.aborted) {
      try {
        const lane = await lanes.claim(owner, options.leaseMs);
        if (lane) {
          await runLane(lane, owner);
          continue;
        }
        await sleep(Math.max(10, await lanes.nextDueIn(pollMs)), undefined, { signal });
      } catch (error) {
        if (signal.aborted) return;
        log.warn({ err: error }, 'slack delivery worker could not reach redis; retrying');
        await sleep(1000, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  const loops = Array.from({ length: Math.max(1, options.concurrency) }, (_, index) => loop(index));
  const sweeper = setInterval(() => {
    lanes
      .sweep()
      .then((repaired) => {
        if (repaired > 0) log.warn({ repaired }, 'slack sweeper put pending notices back in their lanes');
      })
      .catch((error: unknown) => log.warn({ err: error }, 'slack sweep failed'));
  }, options.sweepEveryMs ?? 60_000);

  return {
    async close(): Promise<void> {
      clearInterval(sweeper);
      controller.abort();
      await Promise.all(loops);
    },
  };
}
