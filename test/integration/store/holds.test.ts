import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Hold } from '../../../src/domain/promotion.js';
import { nextAt, openStores, type Stores } from './store-fixtures.js';

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
