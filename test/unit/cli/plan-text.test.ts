import { describe, expect, it } from 'vitest';
import { planLines } from '../../../src/cli/plan-text.js';
import { aPlan, PLAN_DIGEST } from '../../support/plans.js';

describe('what publish --dry-run prints', () => {
  it('prints the plan a fact a line: outcome, quarantine, where it stops now, then each environment', () => {
    expect(planLines(aPlan())).toEqual([
      `dry run: checkout 1.4.2 (${PLAN_DIGEST}), planned 2024-03-01 09:00 UTC; nothing was created`,
      'publishing would start a new promotion',
      'quarantined: its digest was rolled back (error-rate 0.05 > 0.01); it stops before production',
      'held now: it would stop before development (held by U0ALICE since 2024-03-01 09:00 UTC: db migration)',
      '',
      `development: runs 1.4.1 (sha256:${'b'.repeat(64)}) since 2024-03-01 09:00 UTC`,
      '  deploy      run ./deploy.sh (timeout 5m)',
      '  test        smoke: run ./smoke.sh (timeout 5m)',
      '  then        moves on by itself',
      '  hold        held by U0ALICE since 2024-03-01 09:00 UTC: db migration',
      '  held now    held by U0ALICE since 2024-03-01 09:00 UTC: db migration',
      '',
      'staging: runs nothing yet',
      '  deploy      run ./deploy.sh (timeout 5m)',
      '  test        acceptance: run ./acceptance.sh (timeout 5m)',
      '  test        load: run ./load.sh (timeout 5m)',
      '  soak        1h',
      '  then        waits for /promote',
      '  next freeze "weekend" from 2024-03-01 18:00 UTC until 2024-03-04 08:00 UTC',
      '',
      'production: runs nothing yet',
      '  gate        1 approval of U0CAROL, S0RELEASE; expires after 1d; not by who promoted it',
      '  deploy      run ./deploy.sh (timeout 5m), canary: canary 10% 5m -> canary 50% 10m -> full rollout (about 15m)',
      '  tests       none',
      '  monitor     every 30s, rolls back after 2 breaches in a row: error-rate <= 0.01',
      '  rollback    run ./rollback.sh (timeout 5m)',
      '  frozen      "year-end" until 2024-03-04 00:00 UTC',
      '  held now    freeze window "year-end" until 2024-03-04 00:00 UTC',
    ]);
  });

  it('says when the version is already published, would be refused, or was never published', () => {
    const existing = aPlan({
      published: { digest: PLAN_DIGEST, promotionId: 'p-7' },
      restrictions: { holds: [] },
    });
    const conflict = aPlan({ published: { digest: `sha256:${'c'.repeat(64)}`, promotionId: 'p-7' } });
    const unpublished = aPlan({ artifact: { service: 'checkout', version: '9.9.9' } });

    expect(planLines(existing)[1]).toBe('already published: promotion p-7; publishing again starts nothing');
    expect(planLines(existing).join('\n')).not.toContain('quarantined');
    expect(planLines(conflict)[1]).toMatch(
      /^publishing would be refused: checkout 1\.4\.2 was already published/,
    );
    expect(planLines(unpublished)[0]).toBe(
      'dry run: checkout 9.9.9, planned 2024-03-01 09:00 UTC; nothing was created',
    );
    expect(planLines(unpublished)[1]).toBe(
      'not published yet: there is nothing to promote until CI publishes it',
    );
  });
});
