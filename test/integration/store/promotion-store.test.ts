import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  entered,
  openStores,
  outboxOf,
  published,
  type Stores,
  stepOf,
  superseded,
} from './store-fixtures.js';

let stores: Stores;

beforeEach(() => {
  stores = openStores();
});

afterEach(async () => {
  await stores.close();
});

async function created(version?: string, digest?: string) {
  const fresh = published(version, digest);
  const result = await stores.promotions.create(fresh.promotion, fresh.audit, fresh.outbox);
  expect(result.kind).toBe('created');
  const stored = await stores.promotions.get(fresh.promotion.id);
  if (!stored) throw new Error('the created promotion cannot be read back');
  return { ...fresh, stored };
}

describe('creating a promotion', () => {
  it('stores a new artifact at revision 0 and finds it by id and by version', async () => {
    const fresh = published('1.0.0');

    const result = await stores.promotions.create(fresh.promotion, fresh.audit, fresh.outbox);

    expect(result).toEqual({ kind: 'created', promotion: fresh.promotion });
    expect(await stores.promotions.get(fresh.promotion.id)).toEqual({
      promotion: fresh.promotion,
      revision: 0,
    });
    expect(await stores.promotions.findByVersion('checkout', '1.0.0')).toEqual(fresh.promotion);
    expect(await stores.promotions.events(fresh.promotion.id)).toEqual([fresh.audit]);
  });

  it('returns the existing promotion when the identical artifact is published again', async () => {
    const first = await created('1.0.0');
    const again = published('1.0.0');

    const result = await stores.promotions.create(again.promotion, again.audit, again.outbox);

    expect(result).toEqual({ kind: 'existing', promotion: first.promotion });
    expect(await stores.promotions.get(again.promotion.id)).toBeUndefined();
    expect(await stores.promotions.list('checkout', 10)).toHaveLength(1);
    expect(await stores.promotions.pendingEffects('checkout')).toHaveLength(first.outbox.length);
  });

  it('reports a conflict, writing nothing, when the version was published with another digest', async () => {
    const first = await created('1.0.0', `sha256:${'a'.repeat(64)}`);
    const other = published('1.0.0', `sha256:${'b'.repeat(64)}`);

    const result = await stores.promotions.create(other.promotion, other.audit, other.outbox);

    expect(result).toEqual({
      kind: 'conflict',
      digest: `sha256:${'a'.repeat(64)}`,
      promotionId: first.promotion.id,
    });
    expect(await stores.promotions.get(other.promotion.id)).toBeUndefined();
    expect(await stores.promotions.events(other.promotion.id)).toEqual([]);
    expect(await stores.promotions.findByVersion('checkout', '1.0.0')).toEqual(first.promotion);
    expect(await stores.promotions.pendingEffects('checkout')).toHaveLength(first.outbox.length);
  });

  it('knows nothing of ids and versions it never stored', async () => {
    expect(await stores.promotions.get('never-stored')).toBeUndefined();
    expect(await stores.promotions.events('never-stored')).toEqual([]);
    expect(await stores.promotions.findByVersion('checkout', '0.0.1')).toBeUndefined();
  });

  it('lists the promotions of a service newest first, up to the limit', async () => {
    await created('1.0.0');
    await created('1.1.0');
    await created('1.2.0');

    const all = await stores.promotions.list('checkout', 10);
    const two = await stores.promotions.list('checkout', 2);

    expect(all.map((p) => p.artifact.version)).toEqual(['1.2.0', '1.1.0', '1.0.0']);
    expect(two.map((p) => p.artifact.version)).toEqual(['1.2.0', '1.1.0']);
  });
});

describe('committing a change', () => {
  it('replaces the revision it was read at and moves the revision on', async () => {
    const { stored } = await created();
    const step = entered(stored.promotion);

    const committed = await stores.promotions.commit(stored, step.next, step.audit, []);

    expect(committed).toBe(true);
    expect(await stores.promotions.get(stored.promotion.id)).toEqual({ promotion: step.next, revision: 1 });
  });

  it('lets exactly one of two commits from the same revision win', async () => {
    const { stored } = await created();
    const first = entered(stored.promotion);
    const second = superseded(stored.promotion);

    const results = [
      await stores.promotions.commit(stored, first.next, first.audit, []),
      await stores.promotions.commit(stored, second.next, second.audit, []),
    ];

    expect(results).toEqual([true, false]);
    expect(await stores.promotions.get(stored.promotion.id)).toEqual({ promotion: first.next, revision: 1 });
  });

  it('lets exactly one of 20 concurrent commits from the same revision win, and keeps the winner', async () => {
    const { stored } = await created();
    const steps = Array.from({ length: 20 }, (_, index) => superseded(stored.promotion, `2.0.${index}`));

    const results = await Promise.all(
      steps.map((step) => stores.promotions.commit(stored, step.next, step.audit, [])),
    );

    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = steps[results.indexOf(true)];
    expect(await stores.promotions.get(stored.promotion.id)).toEqual({
      promotion: winner?.next,
      revision: 1,
    });
    const events = await stores.promotions.events(stored.promotion.id);
    expect(events.map((event) => event.type)).toEqual(['published', 'superseded']);
    expect(events[1]).toEqual(winner?.audit);
  });

  it('refuses a commit for a promotion that was never created', async () => {
    const fresh = published();
    const step = entered(fresh.promotion);

    const committed = await stores.promotions.commit(
      { promotion: fresh.promotion, revision: 0 },
      step.next,
      step.audit,
      [],
    );

    expect(committed).toBe(false);
    expect(await stores.promotions.get(fresh.promotion.id)).toBeUndefined();
  });

  it('appends each commit to the audit trail in order, and nothing for a lost commit', async () => {
    const { stored, audit } = await created();
    const deploying = entered(stored.promotion);
    await stores.promotions.commit(stored, deploying.next, deploying.audit, []);
    const lost = superseded(stored.promotion);
    await stores.promotions.commit(stored, lost.next, lost.audit, []);
    const done = superseded(deploying.next);

    await stores.promotions.commit({ promotion: deploying.next, revision: 1 }, done.next, done.audit, []);

    expect(await stores.promotions.events(stored.promotion.id)).toEqual([audit, deploying.audit, done.audit]);
  });

  it('keeps a promotion in the active set until it reaches a terminal status', async () => {
    const { stored } = await created();
    const deploying = entered(stored.promotion);
    await stores.promotions.commit(stored, deploying.next, deploying.audit, []);
    expect((await stores.promotions.active('checkout')).map((p) => p.id)).toEqual([stored.promotion.id]);

    const done = superseded(deploying.next);
    await stores.promotions.commit({ promotion: deploying.next, revision: 1 }, done.next, done.audit, []);

    expect(await stores.promotions.active('checkout')).toEqual([]);
  });

  it('lists the active promotions oldest first', async () => {
    const older = await created('1.0.0');
    const newer = await created('1.1.0');

    const active = await stores.promotions.active('checkout');

    expect(active.map((p) => p.id)).toEqual([older.promotion.id, newer.promotion.id]);
  });
});

describe('the outbox', () => {
  it('holds the effects written with the creation until each is completed', async () => {
    const { promotion, audit, outbox } = published();
    await stores.promotions.create(promotion, audit, outbox);
    expect((await stores.promotions.pendingEffects('checkout')).map((e) => e.id)).toEqual(
      outbox.map((e) => e.id),
    );

    await stores.promotions.completeEffects(
      'checkout',
      outbox.map((entry) => entry.id),
    );

    expect(await stores.promotions.pendingEffects('checkout')).toEqual([]);
  });

  it('writes the effects of a commit with it, and none for a lost commit', async () => {
    const { stored, outbox } = await created();
    await stores.promotions.completeEffects(
      'checkout',
      outbox.map((entry) => entry.id),
    );
    const step = entered(stored.promotion);
    const effects = outboxOf(stored, 3);
    await stores.promotions.commit(stored, step.next, step.audit, effects);
    const lost = stepOf(stored.promotion, { type: 'superseded', by: '9.9.9' });

    await stores.promotions.commit(stored, lost.next, lost.audit, outboxOf({ ...stored, revision: 7 }, 2));

    expect(await stores.promotions.pendingEffects('checkout')).toEqual(effects);
  });

  it('removes only the entry completed', async () => {
    const { stored, outbox } = await created();
    await stores.promotions.completeEffects(
      'checkout',
      outbox.map((entry) => entry.id),
    );
    const step = entered(stored.promotion);
    const effects = outboxOf(stored, 3);
    await stores.promotions.commit(stored, step.next, step.audit, effects);

    await stores.promotions.completeEffects('checkout', [effects[1]?.id ?? '']);

    expect(await stores.promotions.pendingEffects('checkout')).toEqual([effects[0], effects[2]]);
  });
});
