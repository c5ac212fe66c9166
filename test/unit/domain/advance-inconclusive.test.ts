import { describe, expect, it } from 'vitest';
import { MINUTE } from '../../support/pipeline-builder.js';
import { ASKING_SERVICE, QUICK_SERVICE } from './phase-fixtures.js';
import {
  attempt,
  checked,
  checks,
  deployStep,
  drive,
  effectsOfType,
  type Flow,
  healthy,
  inProduction,
  noData,
  noticesIn,
  PREDECESSOR,
  succeeded,
} from './promotion-flow.js';

function asked(): Flow {
  return drive(
    inProduction(ASKING_SERVICE, PREDECESSOR),
    succeeded(deployStep(2, 0)),
    ...checks(0, 1, 2, noData()),
  );
}

function askedAt(flow: Flow): string {
  const { phase } = flow.promotion;
  if (phase.kind !== 'rolling_out' || phase.stage.kind !== 'asking') throw new Error('not asking');
  return phase.stage.askedAt;
}

const decide = (flow: Flow, decision: 'continue' | 'rollback', by = 'U0CAROL', byGroups: string[] = []) => ({
  type: 'inconclusiveDecided' as const,
  askedAt: askedAt(flow),
  by,
  byGroups,
  decision,
});

describe('onInconclusive: ask', () => {
  it('asks the approvers instead of rolling back, and gives them interval × inconclusiveLimit to answer', () => {
    const flow = asked();

    expect(flow.promotion.phase).toMatchObject({
      kind: 'rolling_out',
      step: 0,
      stage: { kind: 'asking', checks: 2, analysis: { check: 2, inconclusive: 2 } },
    });
    expect(noticesIn(flow.effects)).toEqual(['inconclusive_asked']);
    expect(effectsOfType(flow.effects, 'scheduleInconclusiveDeadline')).toEqual([
      { type: 'scheduleInconclusiveDeadline', askedAt: askedAt(flow), delayMs: 2 * MINUTE },
    ]);
    expect(effectsOfType(flow.effects, 'runStep')).toEqual([]);
  });

  it('goes on with the analysis when an approver says Continue, forgiving the checks without data', () => {
    const flow = asked();
    const on = drive(flow, decide(flow, 'continue'));

    expect(on.promotion.phase).toMatchObject({ stage: { kind: 'analysing', check: 2, inconclusive: 0 } });
    expect(noticesIn(on.effects)).toEqual(['inconclusive_answered']);
    expect(effectsOfType(on.effects, 'scheduleAnalysis')[0]?.analysis).toEqual({ step: 0, check: 3 });
    expect(effectsOfType(on.effects, 'notify')[0]?.notice).toMatchObject({
      by: 'U0CAROL',
      reason: 'continue',
    });
    // One more check without data does not roll back at once: the run starts again from zero.
    const oneMore = drive(on, checked(0, 3, noData()));
    expect(oneMore.promotion.phase).toMatchObject({ stage: { kind: 'analysing', inconclusive: 1 } });
    const healthyAfter = drive(on, checked(0, 3, healthy()));
    expect(healthyAfter.promotion.phase.kind).toBe('rolling_out');
  });

  it('rolls back, naming who decided, when an approver says Roll back', () => {
    const flow = asked();
    const back = drive(flow, decide(flow, 'rollback'));

    expect(back.promotion.phase).toMatchObject({
      kind: 'rolling_back',
      cause: { kind: 'inconclusive', checks: 2, decidedBy: 'U0CAROL' },
    });
    expect(noticesIn(back.effects)).toEqual(['inconclusive_answered', 'rollback_started']);
  });

  it('rolls back when nobody answers in time, as it would have at once', () => {
    const flow = asked();
    const back = drive(flow, { type: 'inconclusiveUnanswered', askedAt: askedAt(flow) });

    expect(back.promotion.phase).toMatchObject({
      kind: 'rolling_back',
      cause: { kind: 'inconclusive', checks: 2 },
    });
    expect(back.promotion.phase.kind === 'rolling_back' && 'decidedBy' in back.promotion.phase.cause).toBe(
      false,
    );
    expect(effectsOfType(back.effects, 'notify')[0]?.notice).toMatchObject({
      kind: 'inconclusive_answered',
      by: 'promotion-bot',
      reason: 'no answer in time',
    });
  });

  it('lets only production’s approvers decide, once, and only the question still open', () => {
    const flow = asked();
    const stranger = attempt(flow, decide(flow, 'continue', 'U0MALLORY'));
    const byGroup = attempt(flow, decide(flow, 'continue', 'U0ERIN', ['S0RELEASE']));
    const answered = drive(flow, decide(flow, 'continue'));

    expect(stranger.ok ? 'decided' : stranger.reason).toBe(
      'only approvers of checkout production may decide this',
    );
    expect(byGroup.ok).toBe(true);
    expect(attempt(answered, decide(flow, 'rollback')).ok).toBe(false);
    expect(attempt(answered, { type: 'inconclusiveUnanswered', askedAt: askedAt(flow) }).ok).toBe(false);
    expect(attempt(flow, { ...decide(flow, 'continue'), askedAt: '2020-01-01T00:00:00.000Z' }).ok).toBe(
      false,
    );
  });

  it('refuses an answer that comes after the deadline, even before the deadline job has run', () => {
    const flow = asked();
    const { phase } = flow.promotion;
    if (phase.kind !== 'rolling_out' || phase.stage.kind !== 'asking') throw new Error('not asking');
    const late = attempt(flow, { ...decide(flow, 'continue'), at: phase.stage.deadline });

    expect(late.ok ? 'decided' : late.reason).toBe('the time to answer this question is over');
  });

  it('still rolls back at once without ask (the default)', () => {
    const flow = drive(
      inProduction(QUICK_SERVICE, PREDECESSOR),
      succeeded(deployStep(2, 0)),
      ...checks(0, 1, 2, noData()),
    );

    expect(flow.promotion.phase).toMatchObject({ kind: 'rolling_back', cause: { kind: 'inconclusive' } });
  });
});
