import { describe, expect, it } from 'vitest';
import {
  decidedReply,
  describePromotion,
  forcedReply,
  holdLiftedReply,
  holdPlacedReply,
  promotedReply,
} from '../../../src/domain/command-replies.js';
import { aService } from '../../support/pipeline-builder.js';
import { MANUAL_DEVELOPMENT } from './phase-fixtures.js';
import { approve, atTheGate, drive, held, passing, publish, reject, unheld } from './promotion-flow.js';

const service = aService();

describe('what the channel is told a person did', () => {
  it('says where a promote sent the promotion', () => {
    const waiting = drive(publish(MANUAL_DEVELOPMENT), ...passing(MANUAL_DEVELOPMENT, 0));
    const promoted = drive(waiting, { type: 'promoteRequested', by: 'U0ALICE' });

    expect(promotedReply(promoted.promotion, MANUAL_DEVELOPMENT)).toBe('promoted checkout 1.4.0 to staging');
  });

  it('says a promote at the gate asked for approval', () => {
    const gate = atTheGate(service);
    const again = drive(gate, reject(), { type: 'promoteRequested', by: 'U0ALICE' });

    expect(promotedReply(gate.promotion, service)).toBe(
      'asked for approval of checkout 1.4.0 for production',
    );
    expect(promotedReply(again.promotion, service)).toBe(
      'asked for approval of checkout 1.4.0 for production',
    );
  });

  it('says a promote that met a hold is held, and why', () => {
    const blocked = drive(publish(service), held(0, 'freeze for the demo'));

    expect(promotedReply(blocked.promotion, service)).toBe(
      'promoted checkout 1.4.0: it is held before development (freeze for the demo)',
    );
    const released = drive(blocked, unheld(0));
    expect(promotedReply(released.promotion, service)).toBe('promoted checkout 1.4.0 to development');
  });

  it('says who approved or rejected what, and why it was rejected', () => {
    const gate = atTheGate(service);

    expect(decidedReply(drive(gate, approve()).promotion, service, 'approve')).toBe(
      'approved checkout 1.4.0 for production',
    );
    expect(
      decidedReply(drive(gate, reject('U0CAROL', 'not during the sale')).promotion, service, 'reject'),
    ).toBe('rejected checkout 1.4.0 for production: not during the sale');
  });

  it('says a forced promotion starts again from the first environment', () => {
    expect(forcedReply(publish(service).promotion, service)).toBe(
      'forced checkout 1.4.0 to start again from development',
    );
  });

  it('says what was put on hold and lifted: one environment, or all of them', () => {
    const at = '2026-03-01T09:00:00.000Z';
    expect(
      holdPlacedReply('shop', {
        environment: 'production',
        reason: 'freeze for the demo',
        by: 'U0ALICE',
        at,
      }),
    ).toBe('put shop production on hold: freeze for the demo');
    expect(holdPlacedReply('shop', { reason: 'quarter end', by: 'U0ALICE', at })).toBe(
      'put every environment of shop on hold: quarter end',
    );
    expect(
      holdPlacedReply('shop', {
        environment: 'production',
        reason: 'launch',
        by: 'U0ALICE',
        at,
        until: '2026-03-01T11:00:00.000Z',
      }),
    ).toBe('put shop production on hold for 2 hours (until 2026-03-01 11:00 UTC): launch');
    expect(holdLiftedReply('shop', 'production')).toBe('lifted the hold on shop production');
    expect(holdLiftedReply('shop', undefined)).toBe('lifted the hold on every environment of shop');
  });

  it('describes a promotion in one line, in words', () => {
    expect(describePromotion(atTheGate(service).promotion, service)).toBe(
      'checkout 1.4.0, waiting for approval for production',
    );
    expect(describePromotion(atTheGate(service).promotion, undefined)).toBe('checkout 1.4.0');
  });
});
