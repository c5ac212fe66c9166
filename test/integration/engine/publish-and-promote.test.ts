import { afterEach, describe, expect, it } from 'vitest';
import type { EnvironmentStore } from '../../../src/engine/ports.js';
import { anArtifact } from '../../support/pipeline-builder.js';
import {
  aDigest,
  deployIn,
  fail,
  type Harness,
  type HarnessOptions,
  ledger,
  openHarness,
  phaseOf,
  publish,
  shop,
  succeed,
  toShopGate,
} from './engine-harness.js';

// What CI and people ask for first: publishing an artifact, and promoting (or forcing) a published version.

let h: Harness;

function open(options: HarnessOptions = {}): Harness {
  h = openHarness(options);
  return h;
}

afterEach(async () => {
  await h.close();
});

const shopArtifact = (version: string, digest = aDigest()) =>
  anArtifact({ service: 'shop', version, digest });

/** Places a hold on development right after the service's holds were read, `times` times. */
function holdAfterRead(times: number): (real: EnvironmentStore) => EnvironmentStore {
  let left = times;
  return (real) => ({
    ...real,
    async restrictions(service, digest) {
      const read = await real.restrictions(service, digest);
      if (left > 0) {
        left -= 1;
        await real.placeHold(service, {
          environment: 'development',
          reason: `freeze ${left}`,
          by: 'U0ALICE',
          at: h.clock.now().toISOString(),
        });
      }
      return read;
    },
  });
}

describe('publishing an artifact', () => {
  it('creates a promotion and starts it in the first environment', async () => {
    open();

    const result = await h.commands.publish(shopArtifact('1.0.0'), 'api');

    expect(result).toMatchObject({ kind: 'created', promotion: { createdBy: 'api' } });
    if (result.kind !== 'created') throw new Error(result.kind);
    expect(await phaseOf(h, result.promotion.id)).toEqual({ kind: 'deploying', environment: 0 });
    expect(h.notifier.kindsFor(result.promotion.id)).toEqual(['published', 'stage_started']);
  });

  it('answers with the existing promotion when the same artifact is published again', async () => {
    open();
    const artifact = shopArtifact('1.0.0');
    const first = await h.commands.publish(artifact, 'api');

    const again = await h.commands.publish(artifact, 'api');

    expect(again.kind).toBe('existing');
    expect(again).toMatchObject({ promotion: { id: first.kind === 'created' ? first.promotion.id : '' } });
    expect(await h.promotions.list('shop', 10)).toHaveLength(1);
  });

  it('refuses another digest for a published version, naming the digest it has', async () => {
    open();
    const first = await h.commands.publish(shopArtifact('1.0.0'), 'api');
    if (first.kind !== 'created') throw new Error(first.kind);

    const result = await h.commands.publish(shopArtifact('1.0.0', `sha256:${'f'.repeat(64)}`), 'api');

    expect(result).toEqual({
      kind: 'conflict',
      message: `shop 1.0.0 was already published with digest ${first.promotion.artifact.digest} (promotion ${first.promotion.id}); versions are immutable: publish a new version`,
    });
  });

  it('refuses an unknown service, naming the known ones', async () => {
    open();

    expect(await h.commands.publish(anArtifact({ service: 'shoe' }), 'api')).toEqual({
      kind: 'unknown-service',
      message: 'unknown service "shoe" (known: shop, ledger, cart, checkout)',
    });
  });

  it('says that no service is known when the pipeline has none', async () => {
    open({ pipeline: { services: new Map() } });

    expect(await h.commands.publish(anArtifact({ service: 'shoe' }), 'api')).toEqual({
      kind: 'unknown-service',
      message: 'unknown service "shoe" (known: none)',
    });
  });

  it('decides again when a hold lands between reading the holds and creating the promotion', async () => {
    open({ environments: holdAfterRead(1) });

    const result = await h.commands.publish(shopArtifact('1.0.0'), 'api');

    if (result.kind !== 'created') throw new Error(result.kind);
    expect(await phaseOf(h, result.promotion.id)).toMatchObject({
      kind: 'blocked',
      environment: 0,
      hold: { reason: 'freeze 0' },
    });
    expect(await h.promotions.list('shop', 10)).toHaveLength(1);
  });

  it('gives up when the holds keep changing, and creates nothing', async () => {
    open({ environments: holdAfterRead(1000) });

    await expect(h.commands.publish(shopArtifact('1.0.0'), 'api')).rejects.toThrow(
      'the holds of shop are changing too fast to publish 1.0.0',
    );
    expect(await h.promotions.list('shop', 10)).toEqual([]);
  });
});

/** ledger `version` deployed to development and staging, waiting there for a /promote. */
async function waitingInLedgerStaging(version: string) {
  const promotion = await publish(h, ledger, version);
  await succeed(h, promotion.id, deployIn(0));
  await succeed(h, promotion.id, deployIn(1));
  expect(await phaseOf(h, promotion.id)).toEqual({ kind: 'waiting', environment: 1 });
  return promotion;
}

describe('promoting a version', () => {
  it('moves a waiting promotion on: the next environment is production, so its gate opens', async () => {
    open();
    const promotion = await waitingInLedgerStaging('3.0.0');

    const result = await h.commands.promote('ledger', '3.0.0', { user: 'U0ALICE' });

    expect(result).toMatchObject({ ok: true, message: 'asked for approval of ledger 3.0.0 for production' });
    expect(await phaseOf(h, promotion.id)).toMatchObject({
      kind: 'awaiting_approval',
      requestedBy: 'U0ALICE',
    });
  });

  it('promotes to the environment named when it is the next one, and refuses to skip any', async () => {
    open();
    const promotion = await waitingInLedgerStaging('3.0.0');

    const skipping = await h.commands.promote('ledger', '3.0.0', { user: 'U0ALICE', to: 'development' });
    const next = await h.commands.promote('ledger', '3.0.0', { user: 'U0ALICE', to: 'production' });

    expect(skipping).toEqual({
      ok: false,
      reason:
        '3.0.0 goes to production next; environments are promoted in order (development -> staging -> production)',
    });
    expect(next.ok).toBe(true);
    expect(await phaseOf(h, promotion.id)).toMatchObject({ kind: 'awaiting_approval' });
  });

  it('refuses a promotion that is not waiting for one', async () => {
    open();
    await publish(h, ledger, '3.0.0');

    expect(await h.commands.promote('ledger', '3.0.0', { user: 'U0ALICE' })).toEqual({
      ok: false,
      reason: '3.0.0 is deploying to development, not waiting for a promote',
    });
  });

  it('refuses an unknown service', async () => {
    open();

    expect(await h.commands.promote('shoe', '1.0.0', { user: 'U0ALICE' })).toEqual({
      ok: false,
      reason: 'unknown service "shoe" (known: shop, ledger, cart, checkout)',
    });
  });

  it('refuses someone who is not an owner, directly or through a group', async () => {
    open();
    h.directory.members.set('U0BOB', ['S0OTHER']);

    expect(await h.commands.promote('shop', '3.0.0', { user: 'U0BOB' })).toEqual({
      ok: false,
      reason: 'only the owners of shop may do that',
    });
    expect(h.directory.lookups).toEqual([{ user: 'U0BOB', groups: ['S0SREGROUP'] }]);
  });

  it('lets an owner through their user group', async () => {
    open();
    const promotion = await waitingInLedgerStaging('3.0.0');
    h.directory.members.set('U0DAN', ['S0SREGROUP']);

    const result = await h.commands.promote('ledger', '3.0.0', { user: 'U0DAN' });

    expect(result.ok).toBe(true);
    expect(await phaseOf(h, promotion.id)).toMatchObject({ kind: 'awaiting_approval' });
  });

  it('says why it cannot tell whether someone is an owner when their group cannot be read', async () => {
    open();
    h.directory.failing.push({ group: 'S0SREGROUP', error: 'missing_scope' });

    expect(await h.commands.promote('shop', '1.0.0', { user: 'U0DAN' })).toEqual({
      ok: false,
      reason:
        'I could not check membership of user group S0SREGROUP: Slack said missing_scope (the app needs the usergroups:read scope; reinstall it with the manifest)',
    });
  });

  it('refuses a version never published, listing the latest ones', async () => {
    open();

    const none = await h.commands.promote('shop', '9.9.9', { user: 'U0ALICE' });
    await publish(h, shop, '1.0.0');
    await publish(h, shop, '1.1.0');
    const some = await h.commands.promote('shop', '9.9.9', { user: 'U0ALICE' });

    expect(none).toEqual({ ok: false, reason: 'shop has no published version "9.9.9"' });
    expect(some).toEqual({
      ok: false,
      reason: 'shop has no published version "9.9.9" (latest: 1.1.0, 1.0.0)',
    });
  });
});

/** shop `version` failed its production rollout and was rolled back automatically: its digest is quarantined. */
async function rolledBackAutomatically(version: string, digest = aDigest()) {
  const atGate = await toShopGate(h, version, digest);
  await h.commands.decide(atGate.id, 'approve', { user: 'U0CAROL' });
  await fail(h, atGate.id, deployIn(2));
  await succeed(h, atGate.id, { kind: 'rollback', environment: 2 });
  expect(await phaseOf(h, atGate.id)).toMatchObject({ kind: 'rolled_back' });
  return atGate;
}

describe('forcing a version to start again', () => {
  it('lets an approver restart a rolled-back version, and lets its digest into production again', async () => {
    open();
    const digest = aDigest();
    const rolledBack = await rolledBackAutomatically('1.0.0', digest);
    // U0CAROL approves production and is an owner through the SRE group.
    h.directory.members.set('U0CAROL', ['S0SREGROUP']);

    const result = await h.commands.promote('shop', '1.0.0', { user: 'U0CAROL', force: true });

    expect(result).toMatchObject({ ok: true, message: 'forced shop 1.0.0 to start again from development' });
    if (!result.ok || !result.promotion) throw new Error('not forced');
    expect(result.promotion.id).not.toBe(rolledBack.id);
    expect(result.promotion).toMatchObject({ forcedBy: 'U0CAROL', createdBy: 'U0CAROL' });
    expect(await h.environments.badReason('shop', digest)).toBeUndefined();
    expect(await phaseOf(h, result.promotion.id)).toEqual({ kind: 'deploying', environment: 0 });
  });

  it('names each version once among the latest, a forced one included', async () => {
    open();
    await rolledBackAutomatically('1.0.0');
    h.directory.members.set('U0CAROL', ['S0SREGROUP']);
    await h.commands.promote('shop', '1.0.0', { user: 'U0CAROL', force: true });

    expect(await h.commands.promote('shop', '2.0.0', { user: 'U0ALICE' })).toEqual({
      ok: false,
      reason: 'shop has no published version "2.0.0" (latest: 1.0.0)',
    });
  });

  it('refuses an owner who is not an approver of production', async () => {
    open();
    await rolledBackAutomatically('1.0.0');

    expect(await h.commands.promote('shop', '1.0.0', { user: 'U0ALICE', force: true })).toEqual({
      ok: false,
      reason: 'only approvers of shop production may force a promotion',
    });
  });

  it('refuses to force a promotion that has not ended', async () => {
    open();
    await publish(h, shop, '1.0.0');
    h.directory.members.set('U0CAROL', ['S0SREGROUP']);

    expect(await h.commands.promote('shop', '1.0.0', { user: 'U0CAROL', force: true })).toEqual({
      ok: false,
      reason: '1.0.0 is still deploying to development: --force only restarts a promotion that has ended',
    });
  });

  it('restarts it once when two approvers force it at the same time', async () => {
    open();
    await rolledBackAutomatically('1.0.0');
    h.directory.members.set('U0CAROL', ['S0SREGROUP']);
    h.directory.members.set('U0ERIN', ['S0SREGROUP', 'S0RELEASE']);

    const answers = await Promise.all([
      h.commands.promote('shop', '1.0.0', { user: 'U0CAROL', force: true }),
      h.other.commands.promote('shop', '1.0.0', { user: 'U0ERIN', force: true }),
    ]);

    expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
    expect(answers.filter((answer) => !answer.ok)).toEqual([
      { ok: false, reason: '1.0.0 is already being promoted' },
    ]);
    expect(await h.promotions.active('shop')).toHaveLength(1);
    expect(await h.promotions.list('shop', 10)).toHaveLength(2);
  });
});
