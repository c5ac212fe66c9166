import { afterEach, describe, expect, it } from 'vitest';
import type { Service } from '../../../src/domain/pipeline.js';
import {
  aDeploy,
  aMonitor,
  anApproval,
  anEnvironment,
  aProduction,
  aService,
  HOUR,
  MINUTE,
} from '../../support/pipeline-builder.js';
import {
  deployIn,
  type Harness,
  jobsIn,
  openHarness,
  phaseOf,
  publish,
  START,
  succeed,
} from './engine-harness.js';

// The engine carries out the effects of the timed features as keyed, delayed jobs (reminders, the question about
// missing data, a freeze's end, a soak's end), and the commands take the approvers' answer to that question.

/** dev -> production: reminders every hour, a monitor that asks, and a freeze on production from START. */
const depot: Service = aService({
  name: 'depot',
  channel: 'C0DEPOT',
  alertChannel: 'C0DEPOTALERTS',
  environments: [
    anEnvironment('development', { soakMs: 30 * MINUTE }),
    aProduction({
      deploy: aDeploy(),
      approval: anApproval({
        remindEveryMs: HOUR,
        escalateAfterMs: 3 * HOUR,
        escalateTo: ['S0ONCALL'],
        expiresAfterMs: 6 * HOUR,
      }),
      monitor: aMonitor({
        intervalMs: MINUTE,
        durationMs: 10 * MINUTE,
        inconclusiveLimit: 2,
        onInconclusive: 'ask',
      }),
    }),
  ],
});

const frozenUntil = new Date(START + 2 * HOUR).toISOString();
const frozenDepot: Service = {
  ...depot,
  name: 'frozen-depot',
  freezes: [
    {
      name: 'launch',
      environments: ['production'],
      schedule: { kind: 'once', from: new Date(START - HOUR).toISOString(), until: frozenUntil },
    },
  ],
};

let h: Harness;

function open(): Harness {
  h = openHarness({ pipeline: { services: new Map([depot, frozenDepot].map((s) => [s.name, s])) } });
  return h;
}

afterEach(async () => {
  await h.close();
});

/** Through development and its soak, to production's gate. */
async function toGate(service: Service, version: string) {
  const promotion = await publish(h, service, version);
  await succeed(h, promotion.id, deployIn(0));
  h.clock.advance(30 * MINUTE);
  await h.engine.dispatch(promotion.id, {
    type: 'soakEnded',
    environment: 0,
    until: soakUntil(await phaseOf(h, promotion.id)),
  });
  return promotion;
}

function soakUntil(phase: Awaited<ReturnType<typeof phaseOf>>): string {
  if (phase.kind !== 'soaking') throw new Error(`expected a soak, got ${phase.kind}`);
  return phase.until;
}

describe('timed effects', () => {
  it('schedules the soak’s end, then the gate’s first reminder, as keyed delayed jobs', async () => {
    open();
    const promotion = await publish(h, depot, '1.0.0');
    await succeed(h, promotion.id, deployIn(0));

    const soak = await jobsIn(h, 'soak-end');
    expect(soak).toMatchObject([{ delay: 30 * MINUTE, data: { promotionId: promotion.id, environment: 0 } }]);

    h.clock.advance(30 * MINUTE);
    await h.engine.dispatch(promotion.id, {
      type: 'soakEnded',
      environment: 0,
      until: soakUntil(await phaseOf(h, promotion.id)),
    });
    expect((await phaseOf(h, promotion.id)).kind).toBe('awaiting_approval');
    expect(await jobsIn(h, 'approval-reminder')).toMatchObject([
      { delay: HOUR, data: { promotionId: promotion.id, reminder: 1 } },
    ]);
  });

  it('schedules a freeze’s end for a promotion the window holds before the gate', async () => {
    open();
    const promotion = await toGate(frozenDepot, '2.0.0');

    expect(await phaseOf(h, promotion.id)).toMatchObject({ kind: 'blocked', hold: { freeze: 'launch' } });
    const [wake] = await jobsIn(h, 'freeze-end');
    expect(wake).toMatchObject({ data: { promotionId: promotion.id, environment: 1, endsAt: frozenUntil } });
    expect(wake?.delay).toBe(Date.parse(frozenUntil) - h.clock.now().getTime());
  });
});

describe('the question about missing data', () => {
  async function asked(version: string) {
    const promotion = await toGate(depot, version);
    h.directory.members.set('U0ERIN', ['S0RELEASE']);
    await h.commands.decide(promotion.id, 'approve', { user: 'U0CAROL' });
    await h.engine.dispatch(promotion.id, { type: 'environmentEntered', environment: 1 });
    await succeed(h, promotion.id, deployIn(1));
    for (const check of [1, 2]) {
      h.clock.advance(MINUTE);
      await h.engine.dispatch(promotion.id, {
        type: 'analysisCompleted',
        analysis: { step: 0, check },
        measurements: [{ metric: 'error-rate', max: 0.01, verdict: 'inconclusive', reason: 'no data' }],
      });
    }
    const phase = await phaseOf(h, promotion.id);
    if (phase.kind !== 'rolling_out' || phase.stage.kind !== 'asking')
      throw new Error(`not asking: ${phase.kind}`);
    return { promotion, askedAt: phase.stage.askedAt };
  }

  it('waits for an answer until interval × inconclusiveLimit, with a keyed deadline job', async () => {
    open();
    const { promotion, askedAt } = await asked('3.0.0');

    expect(await jobsIn(h, 'inconclusive-deadline')).toMatchObject([
      { delay: 2 * MINUTE, data: { promotionId: promotion.id, askedAt } },
    ]);
    expect(h.notifier.notices.map((n) => n.kind)).toContain('inconclusive_asked');
  });

  it('takes an approver’s answer (also through a user group), and refuses a stranger or a second answer', async () => {
    open();
    const { promotion, askedAt } = await asked('3.1.0');

    const stranger = await h.commands.decideInconclusive(promotion.id, askedAt, 'continue', {
      user: 'U0MALLORY',
    });
    expect(stranger).toEqual({ ok: false, reason: 'only approvers of depot production may decide this' });
    const byGroup = await h.commands.decideInconclusive(promotion.id, askedAt, 'continue', {
      user: 'U0ERIN',
    });
    expect(byGroup).toMatchObject({ ok: true, message: 'let depot 3.1.0 go on without the missing data' });
    const again = await h.commands.decideInconclusive(promotion.id, askedAt, 'rollback', { user: 'U0CAROL' });
    expect(again).toMatchObject({ ok: false });
    expect(await phaseOf(h, promotion.id)).toMatchObject({
      kind: 'rolling_out',
      stage: { kind: 'analysing' },
    });
  });

  it('rolls back on Roll back, and says why it cannot take an answer it cannot check', async () => {
    open();
    const { promotion, askedAt } = await asked('3.2.0');

    h.directory.failing.push({ group: 'S0RELEASE', error: 'missing_scope' });
    const unresolved = await h.commands.decideInconclusive(promotion.id, askedAt, 'rollback', {
      user: 'U0ERIN',
    });
    expect(unresolved.ok).toBe(false);
    expect(
      await h.commands.decideInconclusive('nope-0000', askedAt, 'rollback', { user: 'U0CAROL' }),
    ).toEqual({
      ok: false,
      reason: 'no promotion nope-0000',
    });
    const back = await h.commands.decideInconclusive(promotion.id, askedAt, 'rollback', { user: 'U0CAROL' });
    expect(back).toMatchObject({ ok: true, message: 'is rolling back depot 3.2.0' });
    expect(await phaseOf(h, promotion.id)).toMatchObject({
      kind: 'rolling_back',
      cause: { kind: 'inconclusive', decidedBy: 'U0CAROL' },
    });
  });
});
