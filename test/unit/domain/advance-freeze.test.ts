import { describe, expect, it } from 'vitest';
import { entryRefusal, NO_RESTRICTIONS } from '../../../src/domain/entering.js';
import type { FreezeWindow } from '../../../src/domain/freeze.js';
import type { Hold } from '../../../src/domain/promotion.js';
import { aService, MINUTE } from '../../support/pipeline-builder.js';
import {
  approve,
  atTheGate,
  attempt,
  drive,
  effectsOfType,
  inProduction,
  later,
  noticesIn,
  passing,
  publish,
  restricted,
  rollbackRequested,
  START,
  unheld,
} from './promotion-flow.js';

const production = 2;
const staging = 1;
const HOUR = 60 * MINUTE;

function window(name: string, environments: string[], fromMs: number, untilMs: number): FreezeWindow {
  return {
    name,
    environments,
    schedule: {
      kind: 'once',
      from: new Date(Date.parse(START) + fromMs).toISOString(),
      until: new Date(Date.parse(START) + untilMs).toISOString(),
    },
  };
}

/** Production frozen from the start for two hours; the flow's events come a minute apart. */
const frozen = aService({ freezes: [window('release freeze', ['production'], 0, 2 * HOUR)] });
const endsAt = new Date(Date.parse(START) + 2 * HOUR).toISOString();

function frozenBeforeTheGate() {
  return drive(publish(frozen), ...passing(frozen, 0), ...passing(frozen, staging));
}

describe('a freeze window', () => {
  it('stops a promotion before production’s gate, names the window and when it ends, and wakes it then', () => {
    const flow = frozenBeforeTheGate();

    expect(flow.promotion.phase).toMatchObject({
      kind: 'blocked',
      environment: production,
      hold: {
        by: 'promotion-bot',
        freeze: 'release freeze',
        until: endsAt,
        reason: 'freeze window "release freeze"',
      },
    });
    expect(effectsOfType(flow.effects, 'scheduleApprovalExpiry')).toEqual([]);
    expect(effectsOfType(flow.effects, 'scheduleFreezeEnd')).toEqual([
      { type: 'scheduleFreezeEnd', environment: production, endsAt },
    ]);
  });

  it('asks for approval when the window ends, and not before', () => {
    const flow = frozenBeforeTheGate();
    const early = attempt(flow, {
      type: 'freezeEnded',
      environment: production,
      endsAt,
      at: later(START, HOUR),
    });
    const ended = drive(flow, { type: 'freezeEnded', environment: production, endsAt, at: endsAt });

    // Woken early (a clock a little behind): still frozen, so it waits again for the same end.
    expect(early.ok && early.promotion.phase).toMatchObject({ kind: 'blocked', hold: { until: endsAt } });
    expect(ended.promotion.phase.kind).toBe('awaiting_approval');
    expect(noticesIn(ended.effects)).toEqual(['hold_released', 'approval_requested']);
  });

  it('waits on behind the next window, or a person’s hold, that holds it when the first one ends', () => {
    const back2back = aService({
      freezes: [
        window('first', ['production'], 0, 2 * HOUR),
        window('second', ['production'], 2 * HOUR, 3 * HOUR),
      ],
    });
    const flow = drive(publish(back2back), ...passing(back2back, 0), ...passing(back2back, staging));
    const next = drive(flow, { type: 'freezeEnded', environment: production, endsAt, at: endsAt });
    expect(next.promotion.phase).toMatchObject({ kind: 'blocked', hold: { freeze: 'second' } });
    expect(effectsOfType(next.effects, 'scheduleFreezeEnd')).toHaveLength(1);

    const personsHold: Hold = { environment: 'production', reason: 'incident', by: 'U0ALICE', at: START };
    const held = drive(restricted(frozenBeforeTheGate(), { holds: [personsHold] }), {
      type: 'freezeEnded',
      environment: production,
      endsAt,
      at: endsAt,
    });
    expect(held.promotion.phase).toMatchObject({ kind: 'blocked', hold: personsHold });
    expect(effectsOfType(held.effects, 'scheduleFreezeEnd')).toEqual([]);
  });

  it('ignores a wake-up for another window end, and an /unhold cannot lift a freeze', () => {
    const flow = frozenBeforeTheGate();

    expect(attempt(flow, { type: 'freezeEnded', environment: production, endsAt: START }).ok).toBe(false);
    const unhold = attempt(flow, unheld(production));
    expect(unhold.ok ? 'lifted' : unhold.reason).toMatch(/still on hold \(freeze window "release freeze"/);
  });

  it('freezes only the environments it names: staging frozen stops the promotion before staging', () => {
    const stagingFrozen = aService({ freezes: [window('load test', ['staging'], 0, HOUR)] });
    const flow = drive(publish(stagingFrozen), ...passing(stagingFrozen, 0));

    expect(flow.promotion.phase).toMatchObject({ kind: 'blocked', environment: staging });
  });

  it('does not stop a rollback, nor a rollout already under way when it opened', () => {
    const opensLater = aService({ freezes: [window('later', ['production'], 20 * MINUTE, HOUR)] });
    const rolling = inProduction(opensLater);
    const during = drive(rolling, { ...rollbackRequested(), at: later(START, 30 * MINUTE) });

    expect(during.promotion.phase.kind).toBe('rolling_back');
  });

  it('keeps an approval given while the window is open out of production until the window ends', () => {
    const opensAtGate = aService({ freezes: [window('late', ['production'], 30 * MINUTE, HOUR)] });
    const gate = atTheGate(opensAtGate);
    const approved = drive(gate, { ...approve(), at: later(START, 40 * MINUTE) });

    expect(approved.promotion.phase).toEqual({ kind: 'entering', environment: production });
    const refusal = entryRefusal(
      approved.promotion,
      opensAtGate,
      production,
      NO_RESTRICTIONS,
      later(START, 41 * MINUTE),
    );
    expect(refusal).toMatchObject({ freeze: 'late' });
    if (!refusal) throw new Error('expected the window to keep it out');
    const held = drive(approved, { type: 'environmentHeld', environment: production, hold: refusal });
    expect(held.promotion.phase).toMatchObject({ kind: 'blocked', hold: { freeze: 'late' } });
    expect(effectsOfType(held.effects, 'scheduleFreezeEnd')).toHaveLength(1);
  });
});
