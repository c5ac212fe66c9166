import { afterEach, describe, expect, it } from 'vitest';
import { QUEUE_NAMES } from '../../../src/queue/queues.js';
import { anArtifact } from '../../support/pipeline-builder.js';
import {
  aDigest,
  type Harness,
  jobsIn,
  openHarness,
  releaseShop,
  shop,
  toShopGate,
} from './engine-harness.js';

// A dry run reads the stores and decides; it writes nothing, queues nothing and tells no one.

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Every key of the harness (its stores and its queues) with its type and DUMP: any write changes it. */
async function everything(harness: Harness): Promise<Record<string, string>> {
  const keys = (await harness.redis.keys(`*${harness.prefix}*`)).sort();
  const entries = await Promise.all(
    keys.map(async (key) => {
      const [type, dump] = await Promise.all([harness.redis.type(key), harness.redis.dumpBuffer(key)]);
      return [key, `${type}:${dump?.toString('base64') ?? ''}`] as const;
    }),
  );
  return Object.fromEntries(entries);
}

async function allJobs(harness: Harness) {
  return Promise.all(QUEUE_NAMES.map((queue) => jobsIn(harness, queue)));
}

/** shop with 1.0.0 released, 1.1.0 at the gate, staging held, and a digest that was rolled back. */
async function busyShop() {
  const harness = openHarness();
  h = harness;
  const released = await releaseShop(harness, '1.0.0');
  const atGate = await toShopGate(harness, '1.1.0');
  await harness.commands.hold('shop', 'staging', 'db migration', { user: 'U0ALICE' });
  const bad = aDigest();
  await harness.environments.markBad('shop', bad, 'error-rate 0.05 > 0.01');
  return { harness, released, atGate, bad };
}

describe('a dry run', () => {
  it('plans a new artifact from what is stored: what runs where, the holds in force, the quarantine', async () => {
    const { harness, released, bad } = await busyShop();

    const planned = await harness.commands.plan(
      anArtifact({ service: 'shop', version: '2.0.0', digest: bad }),
    );

    if (planned.kind !== 'plan') throw new Error(planned.message);
    const { plan } = planned;
    expect(plan.outcome).toEqual({ kind: 'new' });
    expect(plan.at).toBe(harness.clock.now().toISOString());
    expect(plan.quarantine).toBe('error-rate 0.05 > 0.01');
    expect(plan.stopsAt).toMatchObject({
      environment: 'staging',
      hold: { reason: 'db migration', by: 'U0ALICE' },
    });
    const production = plan.environments[2];
    expect(production?.running).toEqual({
      version: '1.0.0',
      digest: released.artifact.digest,
      promotionId: released.id,
      since: expect.any(String),
    });
    expect(production?.blockedBy?.reason).toContain("2.0.0's digest was rolled back");
    expect(production?.gate?.approvers).toEqual(shop.environments[2]?.approval?.approvers);
    expect(plan.environments[1]?.running?.version).toBe('1.1.0');
  });

  it('says where a published version is, and refuses one published with another digest', async () => {
    const { harness, atGate } = await busyShop();

    const existing = await harness.commands.plan({ service: 'shop', version: '1.1.0' });
    const conflict = await harness.commands.plan(
      anArtifact({ service: 'shop', version: '1.1.0', digest: aDigest() }),
    );

    expect(existing).toMatchObject({
      kind: 'plan',
      plan: {
        digest: atGate.artifact.digest,
        outcome: {
          kind: 'existing',
          promotionId: atGate.id,
          status: 'awaiting_approval',
          where: 'waiting for approval for production',
        },
      },
    });
    expect(conflict).toMatchObject({
      kind: 'plan',
      plan: { outcome: { kind: 'conflict', promotionId: atGate.id, digest: atGate.artifact.digest } },
    });
  });

  it('changes no key in Redis, queues no job and sends no notice, whatever it plans', async () => {
    const { harness, bad } = await busyShop();
    const keys = await everything(harness);
    const jobs = await allJobs(harness);
    expect(Object.keys(keys).length).toBeGreaterThan(10);
    expect(jobs.flat().length).toBeGreaterThan(0);
    const notices = harness.notifier.notices.length;

    await harness.commands.plan(anArtifact({ service: 'shop', version: '2.0.0', digest: bad }));
    await harness.commands.plan(anArtifact({ service: 'shop', version: '1.1.0', digest: aDigest() }));
    await harness.commands.plan({ service: 'shop', version: '1.1.0' });
    await harness.commands.plan({ service: 'shop', version: '9.9.9' });
    await harness.commands.plan({ service: 'nope', version: '1.0.0' });
    await harness.commands.planPromote('shop', '1.0.0', { user: 'U0MALLORY' });
    await harness.commands.planPromote('shop', '1.0.0', { user: 'U0CAROL', force: true });

    expect(await everything(harness)).toEqual(keys);
    expect(await allJobs(harness)).toEqual(jobs);
    expect(harness.notifier.notices).toHaveLength(notices);
  });

  it('refuses an unknown service, naming the known ones', async () => {
    h = openHarness();

    expect(await h.commands.plan({ service: 'billing', version: '1.0.0' })).toEqual({
      kind: 'unknown-service',
      message: 'unknown service "billing" (known: shop, ledger, cart, checkout)',
    });
    expect(await h.commands.planPromote('billing', '1.0.0', { user: 'U0ALICE' })).toEqual({
      ok: false,
      reason: 'unknown service "billing" (known: shop, ledger, cart, checkout)',
    });
  });

  it('plans a version by name that was never published, saying so', async () => {
    h = openHarness();

    const planned = await h.commands.planPromote('shop', '3.0.0', { user: 'U0MALLORY' });

    expect(planned).toMatchObject({ ok: true, plan: { outcome: { kind: 'unpublished' } } });
    expect(planned.ok && planned.plan).not.toHaveProperty('digest');
  });

  it('refuses a forced dry run as the forced promotion would be refused, and plans an allowed one as forced', async () => {
    const { harness, released } = await busyShop();
    await harness.environments.markBad('shop', released.artifact.digest, 'error-rate 0.05 > 0.01');

    const notApprover = await harness.commands.planPromote('shop', '1.0.0', {
      user: 'U0MALLORY',
      force: true,
    });
    const stillRunning = await harness.commands.planPromote('shop', '1.1.0', {
      user: 'U0CAROL',
      force: true,
    });
    const unpublished = await harness.commands.planPromote('shop', '8.0.0', { user: 'U0CAROL', force: true });
    const unforced = await harness.commands.planPromote('shop', '1.0.0', { user: 'U0CAROL' });
    const forced = await harness.commands.planPromote('shop', '1.0.0', { user: 'U0CAROL', force: true });

    expect(notApprover).toEqual({
      ok: false,
      reason: 'only approvers of shop production may force a promotion',
    });
    expect(stillRunning).toMatchObject({
      ok: false,
      reason: expect.stringContaining('--force only restarts'),
    });
    expect(unpublished).toEqual({ ok: false, reason: 'shop has no published version "8.0.0" to force' });
    expect(unforced).toMatchObject({ ok: true, plan: { quarantine: 'error-rate 0.05 > 0.01' } });
    expect(forced.ok && forced.plan).not.toHaveProperty('quarantine');
  });

  it('reads the version’s record even once its promotion is gone (past RETENTION)', async () => {
    h = openHarness();
    const released = await releaseShop(h, '1.0.0');
    await h.redis.del(h.keys.promotion('shop', released.id));

    const planned = await h.commands.plan({ service: 'shop', version: '1.0.0' });

    expect(planned).toMatchObject({
      kind: 'plan',
      plan: { digest: released.artifact.digest, outcome: { kind: 'existing', promotionId: released.id } },
    });
    expect(planned.kind === 'plan' && planned.plan.outcome).not.toHaveProperty('status');
  });
});
