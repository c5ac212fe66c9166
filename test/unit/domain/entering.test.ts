import { describe, expect, it } from 'vitest';
import {
  entryRefusal,
  heldAgain,
  heldNow,
  holdOn,
  quarantineHold,
  supersededBy,
} from '../../../src/domain/entering.js';
import type { Hold, Promotion } from '../../../src/domain/promotion.js';
import { aService } from '../../support/pipeline-builder.js';
import { atTheGate, drive, entered, inProduction, publish, START } from './promotion-flow.js';

const service = aService();
const production = service.environments.length - 1;
const promotion = publish(service).promotion;
const personsHold: Hold = { environment: 'production', reason: 'incident 42', by: 'U0ALICE', at: START };

describe('quarantine', () => {
  it('keeps a rolled-back digest out of production, saying how to force it back in', () => {
    expect(quarantineHold(promotion, service, production, 'error-rate 5% > 1%', START)).toEqual({
      environment: 'production',
      reason: `${promotion.artifact.version}'s digest was rolled back (error-rate 5% > 1%); an approver can /promote checkout ${promotion.artifact.version} --force`,
      by: 'promotion-bot',
      at: START,
    });
  });

  it('keeps it out of production only, not for a digest never rolled back, and not once an approver forced it', () => {
    expect(quarantineHold(promotion, service, 0, 'bad', START)).toBeUndefined();
    expect(quarantineHold(promotion, service, production, undefined, START)).toBeUndefined();
    expect(
      quarantineHold({ ...promotion, forcedBy: 'U0CAROL' }, service, production, 'bad', START),
    ).toBeUndefined();
  });
});

describe('what keeps a promotion out of an environment', () => {
  it('is a person’s hold first, then quarantine, else nothing', () => {
    expect(
      entryRefusal(promotion, service, production, { holds: [personsHold], rolledBack: 'bad' }, START),
    ).toBe(personsHold);
    expect(entryRefusal(promotion, service, production, { holds: [], rolledBack: 'bad' }, START)?.by).toBe(
      'promotion-bot',
    );
    expect(entryRefusal(promotion, service, 1, { holds: [], rolledBack: 'bad' }, START)).toBeUndefined();
  });

  it('takes a hold on the environment before one on the whole service, and ignores other environments', () => {
    const wide: Hold = { reason: 'code freeze', by: 'U0BOB', at: START };
    const staging: Hold = { environment: 'staging', reason: 'load test', by: 'U0BOB', at: START };
    expect(holdOn([wide, personsHold], service, production)).toBe(personsHold);
    expect(holdOn([staging, wide], service, production)).toBe(wide);
    expect(holdOn([staging], service, production)).toBeUndefined();
    expect(holdOn([staging], service, 1)).toBe(staging);
  });
});

describe('what a new hold stops now', () => {
  const wide: Hold = { reason: 'code freeze', by: 'U0BOB', at: START };

  it('closes an open production gate and stops a promotion waiting to enter a held environment', () => {
    const atGate = atTheGate().promotion;
    expect(heldNow(atGate, service, { holds: [personsHold] }, START)).toEqual({
      environment: production,
      hold: personsHold,
    });
    expect(heldNow(promotion, service, { holds: [wide] }, START)).toEqual({ environment: 0, hold: wide });
  });

  it('leaves alone promotions the hold does not cover or that are past the point a hold can stop', () => {
    expect(heldNow(promotion, service, { holds: [personsHold] }, START)).toBeUndefined();
    const deploying = drive(publish(service), entered(0)).promotion;
    expect(heldNow(deploying, service, { holds: [wide] }, START)).toBeUndefined();
    expect(heldNow(inProduction().promotion, service, { holds: [wide] }, START)).toBeUndefined();
  });
});

describe('a stop decided again on the holds as they are now', () => {
  const atGate = atTheGate().promotion;
  const event = { environment: production, at: START };

  it('names the hold that stops it now, a newer one too', () => {
    const newer: Hold = { ...personsHold, reason: 'incident 43', by: 'U0BOB' };
    expect(heldAgain(atGate, service, { holds: [personsHold] }, event)).toBe(personsHold);
    expect(heldAgain(atGate, service, { holds: [newer] }, event)).toBe(newer);
  });

  it('is nothing once the hold is lifted, or when what holds it now is another environment', () => {
    expect(heldAgain(atGate, service, { holds: [] }, event)).toBeUndefined();
    const wide: Hold = { reason: 'code freeze', by: 'U0BOB', at: START };
    expect(heldAgain(promotion, service, { holds: [wide] }, event)).toBeUndefined();
    expect(heldAgain(promotion, service, { holds: [wide] }, { environment: 0, at: START })).toBe(wide);
  });
});

describe('superseding', () => {
  const at = (id: string, createdAt: string): Promotion => ({ ...promotion, id, createdAt });

  it('gives way to a newer promotion everything published before it, and the id breaks a tie', () => {
    const newer = at('p-m', '2024-03-01T10:00:00.000Z');
    const active = [
      at('p-old', '2024-03-01T09:00:00.000Z'),
      at('p-a', '2024-03-01T10:00:00.000Z'),
      at('p-z', '2024-03-01T10:00:00.000Z'),
      at('p-later', '2024-03-01T11:00:00.000Z'),
      newer,
    ];
    expect(supersededBy(newer, active).map((p) => p.id)).toEqual(['p-old', 'p-a']);
    // Exactly one of two published in the same millisecond stays.
    expect(supersededBy(at('p-a', '2024-03-01T10:00:00.000Z'), [newer]).map((p) => p.id)).toEqual([]);
  });
});
