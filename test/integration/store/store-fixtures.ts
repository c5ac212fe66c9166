// Promotions and stores for the Redis store tests: each test gets a key prefix of its own on the run's Redis.
import type { Redis } from 'ioredis';
import { advance, startPromotion } from '../../../src/domain/advance.js';
import { auditOf, publishedAudit } from '../../../src/domain/audit.js';
import type { PromotionEvent } from '../../../src/domain/events.js';
import type { Promotion } from '../../../src/domain/promotion.js';
import { type EventInput, toOutbox } from '../../../src/engine/engine.js';
import type { OutboxEntry, StoredPromotion } from '../../../src/engine/ports.js';
import { createEnvironmentStore } from '../../../src/store/environment-store.js';
import { createKeys } from '../../../src/store/keys.js';
import { createPromotionStore } from '../../../src/store/promotion-store.js';
import { anArtifact, aService } from '../../support/pipeline-builder.js';
import { connectTestRedis, uniquePrefix } from '../../support/redis.js';

export const service = aService();

export type Stores = {
  readonly redis: Redis;
  readonly keys: ReturnType<typeof createKeys>;
  readonly promotions: ReturnType<typeof createPromotionStore>;
  readonly environments: ReturnType<typeof createEnvironmentStore>;
  close(): Promise<void>;
};

export function openStores(): Stores {
  const redis = connectTestRedis();
  const keys = createKeys(uniquePrefix('store'));
  return {
    redis,
    keys,
    promotions: createPromotionStore(redis, keys),
    environments: createEnvironmentStore(redis, keys),
    close: async () => {
      await redis.quit();
    },
  };
}

let clock = Date.parse('2026-01-01T00:00:00.000Z');

/** A later time on every call, so createdAt orders promotions the way the test made them. */
export function nextAt(): string {
  clock += 1000;
  return new Date(clock).toISOString();
}

let ids = 0;

/** A freshly published promotion (entering development) with the audit entry and outbox it starts with. */
export function published(version = '1.0.0', digest = `sha256:${'a'.repeat(64)}`) {
  ids += 1;
  const id = `prm-${ids}-${version.replaceAll('.', '-')}`;
  const at = nextAt();
  const started = startPromotion({
    id,
    artifact: anArtifact({ version, digest }),
    service,
    by: 'api',
    at,
  });
  return {
    promotion: started.promotion,
    audit: publishedAudit(started.promotion),
    outbox: toOutbox(id, 0, at, started.effects),
  };
}

export type Step = { readonly next: Promotion; readonly audit: ReturnType<typeof auditOf> };

/** What the engine would commit for `input` on `promotion`, through the real state machine. */
export function stepOf(promotion: Promotion, input: EventInput): Step {
  const event: PromotionEvent = { ...input, at: nextAt() };
  const transition = advance(promotion, event, service);
  if (!transition.ok) throw new Error(`the state machine refused ${event.type}: ${transition.reason}`);
  return { next: transition.promotion, audit: auditOf(event, transition.promotion) };
}

/** Development entered: the promotion moves on to deploying. */
export function entered(promotion: Promotion): Step {
  return stepOf(promotion, { type: 'environmentEntered', environment: 0 });
}

/** Overtaken by a newer version: a terminal status. */
export function superseded(promotion: Promotion, by = '9.9.9'): Step {
  return stepOf(promotion, { type: 'superseded', by });
}

export function outboxOf(stored: StoredPromotion, effects: number): OutboxEntry[] {
  return toOutbox(
    stored.promotion.id,
    stored.revision + 1,
    nextAt(),
    Array.from({ length: effects }, (_, index) => ({
      type: 'notify' as const,
      notice: { kind: 'stage_started' as const, environment: `env-${index}` },
    })),
  );
}
