import { afterEach, describe, expect, it } from 'vitest';
import { aProduction, aService } from '../../support/pipeline-builder.js';
import { APPROVER, type EngineHarness, openEngine } from './race-harness.js';

let harness: EngineHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

// The approver owns the service too: forcing takes both.
const productionOnly = aService({ owners: ['U0ALICE', APPROVER], environments: [aProduction()] });
const DIGEST = `sha256:${'b'.repeat(64)}`;
const deploy = { kind: 'deploy', environment: 0, rolloutStep: 0 } as const;
const rollback = { kind: 'rollback', environment: 0 } as const;

/** `bad` rolls out and fails its deploy: rolled back automatically, its digest quarantined. */
async function rollBackAutomatically(h: EngineHarness, id: string) {
  await h.commands.decide(id, 'approve', { user: APPROVER });
  expect((await h.current(id)).phase.kind).toBe('rolling_out');
  await h.report(id, deploy, false);
  await h.report(id, rollback);
  expect((await h.current(id)).phase.kind).toBe('rolled_back');
}

describe('a digest rolled back automatically', () => {
  it('closes the open gate of another version with the same digest', async () => {
    harness = openEngine(productionOnly);
    const bad = await harness.publish(DIGEST);
    await harness.commands.decide(bad.id, 'approve', { user: APPROVER });
    // Re-tagged while the first one rolls out: its gate opens, the digest not yet known bad.
    const retagged = await harness.publish(DIGEST);
    expect((await harness.current(retagged.id)).phase.kind).toBe('awaiting_approval');

    await harness.report(bad.id, deploy, false);
    await harness.report(bad.id, rollback);

    expect((await harness.current(bad.id)).phase.kind).toBe('rolled_back');
    expect((await harness.current(retagged.id)).phase).toMatchObject({
      kind: 'blocked',
      environment: 0,
      hold: { by: 'promotion-bot', reason: expect.stringMatching(/--force/) },
    });
    const approved = await harness.commands.decide(retagged.id, 'approve', { user: APPROVER });
    expect(approved.ok).toBe(false);
  });

  it('keeps a later re-tag of it away from the gate, and lets a forced one through', async () => {
    harness = openEngine(productionOnly);
    const bad = await harness.publish(DIGEST);
    await rollBackAutomatically(harness, bad.id);

    const retagged = await harness.publish(DIGEST);
    expect((await harness.current(retagged.id)).phase.kind).toBe('blocked');

    const forced = await harness.commands.promote('checkout', bad.artifact.version, {
      user: APPROVER,
      force: true,
    });
    expect(forced.ok).toBe(true);
    if (!forced.ok || !forced.promotion) throw new Error('not forced');
    expect((await harness.current(forced.promotion.id)).phase.kind).toBe('awaiting_approval');
  });

  it('is not missed by a decision read before the quarantine and committed after it', async () => {
    let armed = true;
    harness = openEngine(productionOnly, {
      promotions: (store) => ({
        ...store,
        async commit(expected, next, audit, effects) {
          // The rollback of the first version quarantines the digest just before this decision commits.
          if (armed && next.phase.kind === 'awaiting_approval' && next.artifact.version === '1.0.2') {
            armed = false;
            await harness?.environments.markBad('checkout', DIGEST, 'automatic rollback of 1.0.1');
          }
          return store.commit(expected, next, audit, effects);
        },
      }),
    });
    const bad = await harness.publish(DIGEST);
    await rollBackAutomatically(harness, bad.id);
    await harness.environments.clearBad('checkout', DIGEST);
    // A re-tag rejected at the gate, asked for again with /promote while the digest goes bad.
    const retagged = await harness.publish(DIGEST);
    await harness.commands.decide(retagged.id, 'reject', { user: APPROVER, reason: 'later' });
    const promoted = await harness.commands.promote('checkout', retagged.artifact.version, {
      user: 'U0ALICE',
    });

    expect(armed).toBe(false);
    expect(promoted.ok).toBe(true);
    expect((await harness.current(retagged.id)).phase.kind).toBe('blocked');
  });
});
