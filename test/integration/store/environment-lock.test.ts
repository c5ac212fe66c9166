import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStores, type Stores } from './store-fixtures.js';

// One promotion at a time per service and environment; the others queue, first come first served.

let stores: Stores;

beforeEach(() => {
  stores = openStores();
});

afterEach(async () => {
  await stores.close();
});

/** True when it took the environment. */
const enter = async (id: string, environment = 'staging') =>
  (await stores.environments.enter('checkout', environment, id)) !== undefined;
const leave = (id: string, environment = 'staging') => stores.environments.leave('checkout', environment, id);

describe('entering and leaving an environment', () => {
  it('lets the first promotion in and queues the others in the order they came', async () => {
    const entries = [await enter('A'), await enter('B'), await enter('C')];

    expect(entries).toEqual([true, false, false]);
  });

  it('hands the environment to the queue in order as each holder leaves', async () => {
    await enter('A');
    await enter('B');
    await enter('C');

    const afterA = await leave('A');
    const bEnters = await enter('B');
    const cStillWaits = await enter('C');
    const afterB = await leave('B');
    const cEnters = await enter('C');
    const afterC = await leave('C');

    expect([afterA, bEnters, cStillWaits, afterB, cEnters, afterC]).toEqual([
      'B',
      true,
      false,
      'C',
      true,
      undefined,
    ]);
  });

  it('keeps a promotion that asks twice in its first place in the queue', async () => {
    await enter('A');
    await enter('B');
    await enter('C');
    await enter('B');

    expect(await leave('A')).toBe('B');
    await enter('B');
    expect(await leave('B')).toBe('C');
  });

  it('lets the holder enter again', async () => {
    await enter('A');

    expect(await enter('A')).toBe(true);
    expect(await enter('B')).toBe(false);
  });

  it('withdraws a queued promotion that leaves, so it is not handed the environment', async () => {
    await enter('A');
    await enter('B');
    await enter('C');

    const afterWithdrawal = await leave('B');
    const afterA = await leave('A');

    expect(afterWithdrawal).toBeUndefined();
    expect(afterA).toBe('C');
  });

  it('returns nothing when the only holder leaves, and lets the next one straight in', async () => {
    await enter('A');

    expect(await leave('A')).toBeUndefined();
    expect(await enter('B')).toBe(true);
  });

  it('does not free an environment when someone other than the holder leaves it', async () => {
    await enter('A');

    await leave('Z');

    expect(await enter('B')).toBe(false);
  });

  it('keeps environments and services apart', async () => {
    await enter('A', 'staging');

    expect(await enter('B', 'production')).toBe(true);
    expect(await stores.environments.enter('payments', 'staging', 'C')).toEqual({ current: undefined });
  });

  it('tells the one that takes it what is deployed there, and the one that queues nothing', async () => {
    const running = {
      promotionId: 'A',
      version: '1.0.0',
      digest: 'sha256:a',
      at: '2026-01-01T00:00:00.000Z',
    };
    await stores.environments.record('checkout', 'staging', running);
    await enter('A');

    expect(await stores.environments.enter('checkout', 'staging', 'C')).toBeUndefined();
    await leave('A');
    expect(await stores.environments.enter('checkout', 'staging', 'C')).toEqual({ current: running });
  });
});

describe('stranded queues', () => {
  it('reports an environment that is free while promotions still queue for it', async () => {
    await enter('A', 'staging');
    await enter('B', 'staging');
    await enter('C', 'production');
    await leave('A', 'staging');

    const stranded = await stores.environments.stranded('checkout', ['development', 'staging', 'production']);

    expect(stranded).toEqual([{ environment: 'staging', promotionId: 'B' }]);
  });

  it('reports nothing once the next promotion has entered', async () => {
    await enter('A');
    await enter('B');
    await leave('A');

    await enter('B');

    expect(await stores.environments.stranded('checkout', ['staging'])).toEqual([]);
  });
});
