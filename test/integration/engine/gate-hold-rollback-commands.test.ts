import { afterEach, describe, expect, it } from 'vitest';
import { anArtifact, HOUR } from '../../support/pipeline-builder.js';
import {
  current,
  type Harness,
  jobsIn,
  openHarness,
  phaseOf,
  publish,
  releaseShop,
  shop,
  succeed,
  toShopGate,
} from './engine-harness.js';

// The commands people give in Slack once a promotion is on its way: decide the gate, hold and unhold, roll back.

let h: Harness;

afterEach(async () => {
  await h.close();
});

describe('deciding the production gate', () => {
  it('approves for a named approver without asking the directory, and starts the rollout', async () => {
    h = openHarness();
    const atGate = await toShopGate(h, '1.0.0');

    const result = await h.commands.decide(atGate.id, 'approve', { user: 'U0CAROL' });

    expect(result).toMatchObject({ ok: true, message: 'approved shop 1.0.0 for production' });
    expect(await phaseOf(h, atGate.id)).toMatchObject({ kind: 'rolling_out', step: 0 });
    expect((await jobsIn(h, 'deploy')).map((job) => job.id)).toContain(`${atGate.id}.deploy.2.0`);
    expect(h.directory.lookups).toEqual([]);
  });

  it('approves for a member of an approver group', async () => {
    h = openHarness();
    const atGate = await toShopGate(h, '1.0.0');
    h.directory.members.set('U0ERIN', ['S0RELEASE']);

    const result = await h.commands.decide(atGate.id, 'approve', { user: 'U0ERIN' });

    expect(result.ok).toBe(true);
    expect(h.directory.lookups).toEqual([{ user: 'U0ERIN', groups: ['S0RELEASE'] }]);
    expect((await h.promotions.get(atGate.id))?.promotion.approvals).toMatchObject([
      { by: 'U0ERIN', decision: 'approve' },
    ]);
  });

  it('rejects with the reason given', async () => {
    h = openHarness();
    const atGate = await toShopGate(h, '1.0.0');

    const result = await h.commands.decide(atGate.id, 'reject', { user: 'U0CAROL', reason: 'too risky' });

    expect(result).toMatchObject({ ok: true, message: 'rejected shop 1.0.0 for production: too risky' });
    expect(await phaseOf(h, atGate.id)).toMatchObject({
      kind: 'rejected',
      by: 'U0CAROL',
      reason: 'too risky',
    });
  });

  it('says why when the approver group cannot be read, and decides nothing', async () => {
    h = openHarness();
    const atGate = await toShopGate(h, '1.0.0');
    h.directory.failing.push({ group: 'S0RELEASE', error: 'network' });

    const result = await h.commands.decide(atGate.id, 'approve', { user: 'U0ERIN' });

    expect(result).toEqual({
      ok: false,
      reason:
        'I could not check membership of user group S0RELEASE: Slack could not be reached; try again in a moment',
    });
    expect(await phaseOf(h, atGate.id)).toMatchObject({ kind: 'awaiting_approval' });
  });

  it('refuses someone who is not an approver', async () => {
    h = openHarness();
    const atGate = await toShopGate(h, '1.0.0');

    expect(await h.commands.decide(atGate.id, 'approve', { user: 'U0BOB' })).toEqual({
      ok: false,
      reason: 'you are not an approver for shop production',
    });
  });

  it('refuses an unknown promotion', async () => {
    h = openHarness();

    expect(await h.commands.decide('nope-1234', 'approve', { user: 'U0CAROL' })).toEqual({
      ok: false,
      reason: 'no promotion nope-1234',
    });
  });
});

describe('holding and unholding', () => {
  it('puts an environment on hold for an owner', async () => {
    h = openHarness();
    const atGate = await toShopGate(h, '1.0.0');

    const result = await h.commands.hold('shop', 'production', 'incident 42', { user: 'U0ALICE' });

    expect(result).toEqual({ ok: true, message: 'put shop production on hold: incident 42' });
    expect(await phaseOf(h, atGate.id)).toMatchObject({ kind: 'blocked', environment: 2 });
    expect(await jobsIn(h, 'hold-expiry')).toEqual([]);
  });

  it('puts the whole service on hold for a while, and schedules its end', async () => {
    h = openHarness();

    const result = await h.commands.hold('shop', undefined, 'game day', { user: 'U0ALICE', forMs: 2 * HOUR });

    expect(result).toEqual({
      ok: true,
      message: 'put every environment of shop on hold for 2 hours (until 2026-03-02 11:00 UTC): game day',
    });
    expect(await h.environments.hold('shop', undefined)).toMatchObject({
      reason: 'game day',
      until: '2026-03-02T11:00:00.000Z',
    });
    expect(await jobsIn(h, 'hold-expiry')).toMatchObject([{ data: { service: 'shop' }, delay: 2 * HOUR }]);
  });

  it('refuses someone who is not an owner, an unknown service and an unknown environment', async () => {
    h = openHarness();

    const answers = [
      await h.commands.hold('shop', 'production', 'mine', { user: 'U0BOB' }),
      await h.commands.hold('shoe', 'production', 'typo', { user: 'U0ALICE' }),
      await h.commands.hold('shop', 'qa', 'typo', { user: 'U0ALICE' }),
      await h.commands.unhold('shop', 'qa', { user: 'U0ALICE' }),
    ];

    expect(answers).toEqual([
      { ok: false, reason: 'only the owners of shop may do that' },
      { ok: false, reason: 'unknown service "shoe" (known: shop, ledger, cart, checkout)' },
      { ok: false, reason: 'shop has no environment "qa" (environments: development, staging, production)' },
      { ok: false, reason: 'shop has no environment "qa" (environments: development, staging, production)' },
    ]);
    expect(await h.environments.holds('shop')).toEqual([]);
  });

  it('lifts a hold and lets the promotion it kept out go on', async () => {
    h = openHarness();
    const atGate = await toShopGate(h, '1.0.0');
    await h.commands.hold('shop', 'production', 'incident 42', { user: 'U0ALICE' });

    const result = await h.commands.unhold('shop', 'production', { user: 'U0ALICE' });

    expect(result).toEqual({ ok: true, message: 'lifted the hold on shop production' });
    expect(await phaseOf(h, atGate.id)).toMatchObject({ kind: 'awaiting_approval' });
  });

  it('says there is no hold to lift, on an environment or on the whole service', async () => {
    h = openHarness();

    expect(await h.commands.unhold('shop', 'staging', { user: 'U0ALICE' })).toEqual({
      ok: false,
      reason: 'shop staging is not on hold',
    });
    expect(await h.commands.unhold('shop', undefined, { user: 'U0ALICE' })).toEqual({
      ok: false,
      reason: 'shop (every environment) is not on hold',
    });
  });
});

describe('rolling back by hand', () => {
  it('asks to confirm a rollback to the version that ran before, then rolls back and reverts', async () => {
    h = openHarness();
    const first = await releaseShop(h, '1.0.0');
    const second = await releaseShop(h, '1.1.0');

    const asked = await h.commands.askRollback('shop', undefined, { user: 'U0ALICE' });

    const plan = {
      service: 'shop',
      environment: 'production',
      promotionId: second.id,
      from: '1.1.0',
      to: '1.0.0',
    };
    expect(asked).toEqual({ ok: true, plan });
    expect(await phaseOf(h, second.id)).toMatchObject({ kind: 'released' });

    const confirmed = await h.commands.confirmRollback(plan, { user: 'U0ALICE', reason: 'latency' });

    expect(confirmed).toMatchObject({
      ok: true,
      message: 'is rolling back shop production from 1.1.0 to 1.0.0',
    });
    expect(await phaseOf(h, second.id)).toMatchObject({
      kind: 'rolling_back',
      released: true,
      cause: { kind: 'manual', by: 'U0ALICE', reason: 'latency' },
    });
    expect((await jobsIn(h, 'rollback')).map((job) => job.id)).toEqual([`${second.id}.rollback.2.0`]);

    await succeed(h, second.id, { kind: 'rollback', environment: 2 });

    expect(await h.environments.current('shop', 'production')).toMatchObject({
      promotionId: first.id,
      version: '1.0.0',
    });
    // Rolled back by a person: nothing is quarantined.
    expect(await h.environments.badReason('shop', second.artifact.digest)).toBeUndefined();
  });

  it('refuses a confirmation that is no longer what a rollback would do', async () => {
    h = openHarness();
    await releaseShop(h, '1.0.0');
    const second = await releaseShop(h, '1.1.0');
    const asked = await h.commands.askRollback('shop', 'production', { user: 'U0ALICE' });
    if (!asked.ok) throw new Error(asked.reason);
    await h.commands.confirmRollback(asked.plan, { user: 'U0ALICE' });

    const repeated = await h.commands.confirmRollback(asked.plan, { user: 'U0ALICE' });

    expect(repeated).toEqual({
      ok: false,
      reason:
        'this confirmation is out of date (rolling back shop production from 1.1.0 to 1.0.0): shop 1.1.0 is already being rolled back',
    });
    expect((await h.promotions.events(second.id)).filter((e) => e.type === 'rollbackRequested')).toHaveLength(
      1,
    );
  });

  it('lets one of two confirmations given at once through', async () => {
    h = openHarness();
    await releaseShop(h, '1.0.0');
    const second = await releaseShop(h, '1.1.0');
    const asked = await h.commands.askRollback('shop', undefined, { user: 'U0ALICE' });
    if (!asked.ok) throw new Error(asked.reason);

    const answers = await Promise.all([
      h.commands.confirmRollback(asked.plan, { user: 'U0ALICE' }),
      h.other.commands.confirmRollback(asked.plan, { user: 'U0ALICE' }),
    ]);

    expect(answers.map((answer) => answer.ok).sort()).toEqual([false, true]);
    expect(answers.find((answer) => !answer.ok)).toMatchObject({
      reason: expect.stringMatching(/^this confirmation is out of date/),
    });
    expect((await h.promotions.events(second.id)).filter((e) => e.type === 'rollbackRequested')).toHaveLength(
      1,
    );
  });

  it('refuses when nothing ran in production before, or nothing runs there', async () => {
    h = openHarness();

    const nothing = await h.commands.askRollback('shop', undefined, { user: 'U0ALICE' });
    await releaseShop(h, '1.0.0');
    const first = await h.commands.askRollback('shop', undefined, { user: 'U0ALICE' });

    expect(nothing).toEqual({
      ok: false,
      reason: 'nothing of shop is rolling out or released in production',
    });
    expect(first).toEqual({
      ok: false,
      reason: 'shop production has nothing earlier to go back to: 1.0.0 is its first release there',
    });
  });

  it('refuses an unknown service, a non-owner and an environment that is not production', async () => {
    h = openHarness();
    const plan = {
      service: 'shop',
      environment: 'production',
      promotionId: 'abcd-1234',
      from: '1.1.0',
      to: '1.0.0',
    };

    const answers = [
      await h.commands.askRollback('shoe', undefined, { user: 'U0ALICE' }),
      await h.commands.askRollback('shop', undefined, { user: 'U0BOB' }),
      await h.commands.askRollback('shop', 'staging', { user: 'U0ALICE' }),
      await h.commands.confirmRollback({ ...plan, service: 'shoe' }, { user: 'U0ALICE' }),
      await h.commands.confirmRollback(plan, { user: 'U0BOB' }),
    ];

    expect(answers).toEqual([
      { ok: false, reason: 'unknown service "shoe" (known: shop, ledger, cart, checkout)' },
      { ok: false, reason: 'only the owners of shop may do that' },
      {
        ok: false,
        reason:
          'rollback is for production (production); to replace a version in staging, publish or promote another',
      },
      { ok: false, reason: 'unknown service "shoe" (known: shop, ledger, cart, checkout)' },
      { ok: false, reason: 'only the owners of shop may do that' },
    ]);
  });
});

describe('describing a promotion', () => {
  it('says where it is in words, or only what it is for a service no longer in the pipeline', async () => {
    h = openHarness();
    const promotion = await current(h, (await publish(h, shop, '1.0.0')).id);

    expect(h.commands.describe(promotion)).toBe('shop 1.0.0, deploying to development');
    expect(
      h.commands.describe({ ...promotion, artifact: anArtifact({ service: 'legacy', version: '0.9' }) }),
    ).toBe('legacy 0.9');
  });
});

describe('a promotion rolling out', () => {
  it('is what a rollback targets, before the release running in production', async () => {
    h = openHarness();
    await releaseShop(h, '1.0.0');
    const atGate = await toShopGate(h, '1.1.0');
    await h.commands.decide(atGate.id, 'approve', { user: 'U0CAROL' });

    const asked = await h.commands.askRollback('shop', undefined, { user: 'U0ALICE' });

    expect(asked).toMatchObject({ ok: true, plan: { promotionId: atGate.id, from: '1.1.0', to: '1.0.0' } });
    expect(await phaseOf(h, atGate.id)).toMatchObject({ kind: 'rolling_out' });
  });
});
