import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Pipeline } from '../../domain/pipeline.js';
import type { Notifier } from '../../engine/ports.js';
import type { Logger } from '../../logger.js';
import { createLaneBell, type LaneBell } from './lane-bell.js';
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
  bell?: LaneBell,
): Notifier {
  return {
    async notify(promotion, notice) {
      const lane = pipeline.services.get(promotion.artifact.service)?.channel ?? 'unknown';
      const urgent = URGENT_NOTICES.has(notice.kind);
      await lanes.enqueue(promotion.id, lane, notice, { urgent, delayMs: urgent ? 0 : options.coalesceMs });
      if (urgent) bell?.ring();
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
  /** Rung by this process's notifier: an idle worker looks at once. */
  readonly bell?: LaneBell;
  /** How often the sweeper puts back promotions whose lane entry a lost write dropped. */
  readonly sweepEveryMs?: number;
};

/** A lane holds a worker at most this long while it can post, so a busy channel takes turns with the others. */
const TURN_MS = 2000;
const LANE_BATCH = 100;
/** How often an idle delivery worker looks for a lane that came due, unless told otherwise. */
export const DELIVERY_POLL_MS = 100;

/**
 * Delivers the lanes that are due, `concurrency` at a time. A lane is given back as soon as Slack's limits say
 * wait, with the time it may run again: the wait never holds a worker another channel needs.
 */
export function startSlackDeliveryWorker(options: SlackDeliveryWorkerOptions) {
  const { delivery, log } = options;
  const { lanes } = delivery;
  const pollMs = options.pollMs ?? DELIVERY_POLL_MS;
  const bell = options.bell ?? createLaneBell();
  const controller = new AbortController();
  const process = `${hostname()}:${globalThis.process.pid}:${randomUUID().slice(0, 8)}`;

  async function runLane(lane: string, owner: string, signal: AbortSignal): Promise<void> {
    // A holder whose lease could not be renewed stops at once: another worker may have the lane by now.
    let lost = false;
    const renewal = setInterval(() => {
      lanes.renew(lane, owner, options.leaseMs).then(
        (renewed) => {
          if (!renewed) lost = true;
        },
        () => {
          lost = true;
        },
      );
    }, options.leaseMs / 3);
    const turnEnds = Date.now() + TURN_MS;
    const waiting = new Set<string>();
    // The earliest time one that waits may go on; none waiting: as soon as another worker is free.
    let earliest: number | undefined;
    const waitUntil = (at: number) => {
      earliest = Math.min(earliest ?? at, at);
    };
    let nextAt = Date.now();
    try {
      for (;;) {
        if (lost || signal.aborted || Date.now() >= turnEnds) break;
        // Past the ones that wait: a lane's first hundred may all wait on an alert channel.
        const ids = await lanes.promotionsOf(lane, waiting.size + LANE_BATCH);
        const promotionId = ids.find((id) => !waiting.has(id));
        if (!promotionId) {
          nextAt = earliest ?? Date.now();
          break;
        }
        const outcome = await delivery.advance(promotionId);
        if (outcome.kind === 'done') {
          await lanes.settle(lane, promotionId);
          continue;
        }
        waitUntil(outcome.at);
        // This channel's slot, Slack failing, or the token refused: everyone in the lane would wait the same.
        // Another method's budget or pause, or another channel: the next promotion may not need it.
        const everyone =
          outcome.kind === 'later'
            ? outcome.method === undefined ||
              (outcome.method === 'chat.postMessage' && outcome.channel === lane)
            : outcome.channel === WORKSPACE;
        if (everyone) {
          nextAt = earliest ?? outcome.at;
          break;
        }
        waiting.add(promotionId);
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
          await runLane(lane, owner, signal);
          continue;
        }
        await bell.wait(Math.max(10, await lanes.nextDueIn(pollMs)), signal);
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
