import { describe, expect, it } from 'vitest';
import { reminderOffset } from '../../../src/domain/transition-gate.js';
import { anApproval, aServiceWithProduction, HOUR } from '../../support/pipeline-builder.js';
import {
  approve,
  atTheGate,
  attempt,
  drive,
  effectsOfType,
  type Flow,
  held,
  noticesIn,
  reject,
  supersededBy,
} from './promotion-flow.js';

const policy = anApproval({
  approvers: ['U0CAROL', 'U0DAVE', 'S0RELEASE'],
  required: 2,
  expiresAfterMs: 24 * HOUR,
  remindEveryMs: 2 * HOUR,
  escalateAfterMs: 8 * HOUR,
  escalateTo: ['S0ONCALL'],
});
const service = aServiceWithProduction({ approval: policy });

function requestedAt(flow: Flow): string {
  if (flow.promotion.phase.kind !== 'awaiting_approval') throw new Error('not at the gate');
  return flow.promotion.phase.requestedAt;
}

/** Reminder `n`, at the time it is due. */
function due(flow: Flow, n: number) {
  const at = requestedAt(flow);
  return {
    type: 'reminderDue' as const,
    requestedAt: at,
    reminder: n,
    at: new Date(Date.parse(at) + n * 2 * HOUR).toISOString(),
  };
}

describe('reminders at the gate', () => {
  it('are scheduled with the request: the first after remindEvery', () => {
    const gate = atTheGate(service);

    expect(effectsOfType(gate.effects, 'scheduleReminder')).toEqual([
      { type: 'scheduleReminder', requestedAt: requestedAt(gate), reminder: 1, delayMs: 2 * HOUR },
    ]);
  });

  it('remind the approvers who have not decided, and schedule the next one', () => {
    const gate = drive(atTheGate(service), approve('U0CAROL'));
    const reminded = drive(gate, due(gate, 1));

    expect(reminded.promotion.phase).toMatchObject({ kind: 'awaiting_approval', reminded: 1 });
    const [reminder] = effectsOfType(reminded.effects, 'notify');
    expect(reminder?.notice).toEqual({
      kind: 'approval_reminder',
      environment: 'production',
      remind: { waitingFor: ['U0DAVE', 'S0RELEASE'], waitedMs: 2 * HOUR },
    });
    expect(effectsOfType(reminded.effects, 'scheduleReminder')).toEqual([
      { type: 'scheduleReminder', requestedAt: requestedAt(gate), reminder: 2, delayMs: 2 * HOUR },
    ]);
  });

  it('bring in escalateTo from escalateAfter on', () => {
    let flow = atTheGate(service);
    const escalations: (readonly string[] | undefined)[] = [];
    for (let n = 1; n <= 5; n++) {
      flow = drive(flow, due(flow, n));
      escalations.push(effectsOfType(flow.effects, 'notify')[0]?.notice.remind?.escalateTo);
    }

    expect(escalations).toEqual([undefined, undefined, undefined, ['S0ONCALL'], ['S0ONCALL']]);
  });

  it('stop before the request would expire', () => {
    let flow = atTheGate(service);
    for (let n = 1; n <= 11; n++) flow = drive(flow, due(flow, n));

    expect(effectsOfType(flow.effects, 'scheduleReminder')).toEqual([]);
    expect(reminderOffset(policy, 12)).toBeUndefined();
  });

  it('never go out twice: the same reminder again, or one out of turn, is refused', () => {
    const gate = atTheGate(service);
    const once = drive(gate, due(gate, 1));

    expect(attempt(once, due(gate, 1)).ok).toBe(false);
    expect(attempt(gate, due(gate, 2)).ok).toBe(false);
  });

  it('stop at a decision, a hold, an expiry or a supersede', () => {
    const gate = atTheGate(service);
    const decided = drive(gate, approve('U0CAROL'), approve('U0DAVE'));
    const rejected = drive(gate, reject());
    const closed = drive(gate, held(2));
    const superseded = drive(gate, supersededBy());

    for (const flow of [decided, rejected, closed, superseded]) {
      const transition = attempt(flow, due(gate, 1));
      expect(transition.ok ? 'reminded' : transition.reason).toBe('that approval request is no longer open');
    }
    const late = attempt(gate, {
      ...due(gate, 1),
      at: new Date(Date.parse(requestedAt(gate)) + 25 * HOUR).toISOString(),
    });
    expect(late.ok ? 'reminded' : late.reason).toBe('this approval request has expired');
  });

  it('bring in escalateTo at escalateAfter when it falls between two reminders, not a reminder later or never', () => {
    const uneven = aServiceWithProduction({
      approval: anApproval({
        approvers: ['U0CAROL'],
        expiresAfterMs: 9 * HOUR,
        remindEveryMs: 5 * HOUR,
        escalateAfterMs: 8 * HOUR,
        escalateTo: ['S0ONCALL'],
      }),
    });
    let flow = atTheGate(uneven);
    const requested = Date.parse(requestedAt(flow));
    const sent: { waitedMs: number | undefined; escalateTo: readonly string[] | undefined }[] = [];
    for (let n = 1; ; n++) {
      const [next] = effectsOfType(flow.effects, 'scheduleReminder');
      if (!next) break;
      const at = new Date(Date.parse(flow.now) + next.delayMs).toISOString();
      flow = drive(flow, {
        type: 'reminderDue',
        requestedAt: new Date(requested).toISOString(),
        reminder: n,
        at,
      });
      const remind = effectsOfType(flow.effects, 'notify')[0]?.notice.remind;
      sent.push({ waitedMs: remind?.waitedMs, escalateTo: remind?.escalateTo });
    }

    expect(sent).toEqual([
      { waitedMs: 5 * HOUR, escalateTo: undefined },
      { waitedMs: 8 * HOUR, escalateTo: ['S0ONCALL'] },
    ]);
  });

  it('go once at escalateAfter when only that is set, and not at all without either', () => {
    const escalateOnly = anApproval({ escalateAfterMs: 8 * HOUR, escalateTo: ['S0ONCALL'] });

    expect(reminderOffset(escalateOnly, 1)).toBe(8 * HOUR);
    expect(reminderOffset(escalateOnly, 2)).toBeUndefined();
    expect(reminderOffset(anApproval(), 1)).toBeUndefined();
    expect(noticesIn(atTheGate().effects)).not.toContain('approval_reminder');
    expect(effectsOfType(atTheGate().effects, 'scheduleReminder')).toEqual([]);
  });
});
