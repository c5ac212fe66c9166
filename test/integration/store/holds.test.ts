import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Hold } from '../../../src/domain/promotion.js';
import { entered, nextAt, openStores, published, type Stores } from './store-fixtures.js';

let stores: Stores;

beforeEach(() => {
  stores = openStores();
});

afterEach(async () => {
  await stores.close();
});

function hold(reason: string, environment?: string): Hold {
  return { reason, by: 'U0ALICE', at: nextAt(), ...(environment ? { environment } : {}) };
}

const holdOn = (environment: string | undefined) => stores.environments.hold('checkout', environment);

describe('holds', () => {
  it('holds every environment, and the service, when placed without an environment', async () => {
    const wide = hold('incident 42');

    await stores.environments.placeHold('checkout', wide);

    expect(await holdOn('staging')).toEqual(wide);
    expect(await holdOn('production')).toEqual(wide);
    expect(await holdOn(undefined)).toEqual(wide);
  });

  it('holds only its environment when placed on one', async () => {
    const production = hold('quarter-end freeze', 'production');

    await stores.environments.placeHold('checkout', production);

    expect(await holdOn('production')).toEqual(production);
    expect(await holdOn('staging')).toBeUndefined();
    expect(await holdOn(undefined)).toBeUndefined();
    expect(await stores.environments.hold('payments', 'production')).toBeUndefined();
  });

  it('names the environment hold first when both apply', async () => {
    const wide = hold('incident 42');
    const production = hold('quarter-end freeze', 'production');
    await stores.environments.placeHold('checkout', wide);
    await stores.environments.placeHold('checkout', production);

    expect(await holdOn('production')).toEqual(production);
    expect(await holdOn('staging')).toEqual(wide);
    expect(await stores.environments.holds('checkout')).toEqual(expect.arrayContaining([wide, production]));
  });

  it('replaces a hold placed again on the same environment', async () => {
    await stores.environments.placeHold('checkout', hold('first', 'production'));
    const second = hold('second', 'production');

    await stores.environments.placeHold('checkout', second);

    expect(await stores.environments.holds('checkout')).toEqual([second]);
  });

  it('says whether there was a hold to release', async () => {
    await stores.environments.placeHold('checkout', hold('quarter-end freeze', 'production'));

    const released = await stores.environments.releaseHold('checkout', 'production');
    const again = await stores.environments.releaseHold('checkout', 'production');
    const wide = await stores.environments.releaseHold('checkout', undefined);

    expect([released, again, wide]).toEqual([true, false, false]);
    expect(await holdOn('production')).toBeUndefined();
  });

  it('releases the service-wide hold without touching an environment hold', async () => {
    const production = hold('quarter-end freeze', 'production');
    await stores.environments.placeHold('checkout', hold('incident 42'));
    await stores.environments.placeHold('checkout', production);

    expect(await stores.environments.releaseHold('checkout', undefined)).toBe(true);

    expect(await holdOn('staging')).toBeUndefined();
    expect(await holdOn('production')).toEqual(production);
  });
});

describe('bad digests', () => {
  const digest = `sha256:${'e'.repeat(64)}`;

  it('remembers why a digest was marked bad, for that service only', async () => {
    await stores.environments.markBad('checkout', digest, 'automatic rollback of 2.1.0');

    expect(await stores.environments.badReason('checkout', digest)).toBe('automatic rollback of 2.1.0');
    expect(await stores.environments.badReason('checkout', `sha256:${'f'.repeat(64)}`)).toBeUndefined();
    expect(await stores.environments.badReason('payments', digest)).toBeUndefined();
  });
});

describe('a decision made on holds that have since changed', () => {
  async function createdSnapshot() {
    const fresh = published('3.0.0', `sha256:${'c'.repeat(64)}`);
    expect((await stores.promotions.create(fresh.promotion, fresh.audit, fresh.outbox)).kind).toBe('created');
    const snapshot = await stores.promotions.snapshot(fresh.promotion.id);
    if (!snapshot) throw new Error('the created promotion cannot be read back');
    return snapshot;
  }

  it('reads a promotion with the holds and quarantine of its service in one snapshot', async () => {
    const snapshot = await createdSnapshot();
    const wide = hold('incident 42');
    await stores.environments.placeHold('checkout', wide);
    await stores.environments.markBad('checkout', snapshot.promotion.artifact.digest, 'rolled back');

    const again = await stores.promotions.snapshot(snapshot.promotion.id);

    expect(again?.restrictions).toEqual({ holds: [wide], rolledBack: 'rolled back' });
    expect(again?.holdsRevision).not.toBe(snapshot.holdsRevision);
    expect(await stores.environments.restrictions('checkout', snapshot.promotion.artifact.digest)).toEqual({
      restrictions: { holds: [wide], rolledBack: 'rolled back' },
      holdsRevision: again?.holdsRevision,
    });
  });

  it('cannot commit once a hold was placed or lifted after the snapshot, and can on a fresh one', async () => {
    const snapshot = await createdSnapshot();
    const step = entered(snapshot.promotion);
    await stores.environments.placeHold('checkout', hold('freeze', 'development'));

    expect(await stores.promotions.commit(snapshot, step.next, step.audit, [])).toBe(false);
    const fresh = await stores.promotions.snapshot(snapshot.promotion.id);
    if (!fresh) throw new Error('gone');
    await stores.environments.releaseHold('checkout', 'development');
    expect(await stores.promotions.commit(fresh, step.next, step.audit, [])).toBe(false);
    const newest = await stores.promotions.snapshot(snapshot.promotion.id);
    if (!newest) throw new Error('gone');
    expect(await stores.promotions.commit(newest, step.next, step.audit, [])).toBe(true);
  });

  it('does not create a promotion decided on holds that changed, and leaves no trace of it', async () => {
    const fresh = published('3.1.0', `sha256:${'d'.repeat(64)}`);
    const read = await stores.environments.restrictions('checkout', fresh.promotion.artifact.digest);
    await stores.environments.placeHold('checkout', hold('freeze'));

    const result = await stores.promotions.create(fresh.promotion, fresh.audit, fresh.outbox, {
      holdsRevision: read.holdsRevision,
    });

    expect(result).toEqual({ kind: 'stale' });
    expect(await stores.promotions.get(fresh.promotion.id)).toBeUndefined();
    expect(await stores.promotions.findByVersion('checkout', '3.1.0')).toBeUndefined();
  });

  it('lifts a hold that ran out only if it is still the hold placed then', async () => {
    const first = hold('window 1', 'production');
    await stores.environments.placeHold('checkout', first);
    const second = hold('window 2', 'production');
    await stores.environments.placeHold('checkout', second);

    expect(await stores.environments.releaseHold('checkout', 'production', first.at)).toBe(false);
    expect(await holdOn('production')).toEqual(second);
    expect(await stores.environments.releaseHold('checkout', 'production', second.at)).toBe(true);
    expect(await holdOn('production')).toBeUndefined();
  });
});
