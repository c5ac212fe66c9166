import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deployment } from '../../../src/engine/ports.js';
import { nextAt, openStores, type Stores } from './store-fixtures.js';

let stores: Stores;

beforeEach(() => {
  stores = openStores();
});

afterEach(async () => {
  await stores.close();
});

function deployment(promotionId: string, version: string, color?: 'blue' | 'green'): Deployment {
  return {
    promotionId,
    version,
    digest: `sha256:${version.replaceAll('.', '').padStart(64, 'd')}`,
    at: nextAt(),
    ...(color ? { color } : {}),
  };
}

const record = (entry: Deployment, environment = 'production') =>
  stores.environments.record('checkout', environment, entry);
const current = (environment = 'production') => stores.environments.current('checkout', environment);

async function recordedIds(environment = 'production'): Promise<string[]> {
  const entries = await stores.redis.lrange(stores.keys.deployments('checkout', environment), 0, -1);
  return entries.map((entry) => JSON.parse(entry).promotionId);
}

describe('the deployments of an environment', () => {
  it('has no current deployment before anything was recorded', async () => {
    expect(await current()).toBeUndefined();
  });

  it('makes the newest recorded deployment the current one', async () => {
    const first = deployment('A', '1.0.0');
    const second = deployment('B', '1.1.0', 'green');

    await record(first);
    await record(second);

    expect(await current()).toEqual(second);
    expect(await recordedIds()).toEqual(['B', 'A']);
  });

  it('records a promotion once when its deployment is recorded again', async () => {
    await record(deployment('A', '1.0.0'));
    const again = deployment('B', '1.1.0');
    await record(again);

    await record({ ...again, at: nextAt() });

    expect(await recordedIds()).toEqual(['B', 'A']);
    expect(await current()).toEqual(again);
  });

  it('makes the previous deployment current again when the newest one is reverted', async () => {
    const first = deployment('A', '1.0.0', 'blue');
    await record(first);
    await record(deployment('B', '1.1.0', 'green'));

    await stores.environments.revert('checkout', 'production', 'B');

    expect(await current()).toEqual(first);
    expect(await recordedIds()).toEqual(['A']);
  });

  it('changes nothing when a promotion that was never recorded is reverted', async () => {
    const only = deployment('A', '1.0.0');
    await record(only);

    await stores.environments.revert('checkout', 'production', 'Z');

    expect(await current()).toEqual(only);
  });

  it('keeps the commit of a deployment, and reads a record written before commits were kept', async () => {
    const withCommit = { ...deployment('B', '1.1.0'), commit: '9fceb02d0ae598e95dc970b74767f19372d61af8' };
    await record(withCommit);
    expect(await current()).toEqual(withCommit);

    const old = { promotionId: 'A', version: '1.0.0', digest: `sha256:${'d'.repeat(64)}`, at: nextAt() };
    await stores.redis.lpush(stores.keys.deployments('checkout', 'staging'), JSON.stringify(old));
    expect(await current('staging')).toEqual(old);
    expect(Object.keys((await current('staging')) ?? {})).not.toContain('commit');
  });

  it('keeps environments apart', async () => {
    const staging = deployment('A', '1.0.0');

    await record(staging, 'staging');

    expect(await current('staging')).toEqual(staging);
    expect(await current('production')).toBeUndefined();
  });
});
