// One promotion in every phase the state machine knows, each reached by driving real events.
import type { PromotionEventType, StepRef } from '../../../src/domain/events.js';
import type { Phase } from '../../../src/domain/promotion.js';
import { environmentIndexOf } from '../../../src/domain/promotion-view.js';
import {
  aDeploy,
  aMonitor,
  anEnvironment,
  aProduction,
  aService,
  aServiceWithProduction,
  HOUR,
  MINUTE,
} from '../../support/pipeline-builder.js';
import {
  approve,
  atTheGate,
  breaching,
  checked,
  checks,
  deployStep,
  drive,
  type EventInput,
  entered,
  expire,
  type Flow,
  failed,
  healthy,
  held,
  inProduction,
  noData,
  PREDECESSOR,
  passing,
  promote,
  publish,
  reject,
  rollbackRequested,
  rollbackStep,
  START,
  started,
  succeeded,
  supersededBy,
  testStep,
  unheld,
} from './promotion-flow.js';

export type PhaseFixture = { readonly label: string; readonly flow: Flow };

/** Every phase kind, so tests can check that the fixtures miss none. */
export const PHASE_KINDS: Record<Phase['kind'], true> = {
  entering: true,
  deploying: true,
  testing: true,
  soaking: true,
  waiting: true,
  blocked: true,
  awaiting_approval: true,
  rejected: true,
  approval_expired: true,
  rolling_out: true,
  rolling_back: true,
  failed: true,
  rolled_back: true,
  released: true,
  superseded: true,
};

/** All at once, analysed for two one-minute checks. */
export const QUICK_SERVICE = aServiceWithProduction({
  deploy: aDeploy(),
  monitor: aMonitor({ intervalMs: MINUTE, durationMs: 2 * MINUTE }),
});

/** As QUICK_SERVICE, but two checks without data ask the approvers instead of rolling back. */
export const ASKING_SERVICE = aServiceWithProduction({
  deploy: aDeploy(),
  monitor: aMonitor({
    intervalMs: MINUTE,
    durationMs: 5 * MINUTE,
    inconclusiveLimit: 2,
    onInconclusive: 'ask',
  }),
});

export const WITH_PRODUCTION_TESTS = aServiceWithProduction({ tests: ['smoke-prod'] });

export const MANUAL_DEVELOPMENT = aService({
  environments: [
    anEnvironment('development', { tests: ['smoke'], promote: 'manual' }),
    anEnvironment('staging', { tests: ['acceptance', 'load'] }),
    aProduction(),
  ],
});

/** Development frozen all day on the fixtures' date: a promotion published then waits behind the window. */
export const FROZEN_DEVELOPMENT = aService({
  freezes: [
    {
      name: 'all day',
      environments: ['development'],
      schedule: { kind: 'once', from: '2024-03-01T00:00:00.000Z', until: '2024-03-02T00:00:00.000Z' },
    },
  ],
});

/** Staging soaks an hour after its tests pass. */
export const SOAKING_STAGING = aService({
  environments: [
    anEnvironment('development', { tests: ['smoke'] }),
    anEnvironment('staging', { tests: ['acceptance', 'load'], soakMs: HOUR }),
    aProduction(),
  ],
});

export function phaseFixtures(): PhaseFixture[] {
  const service = aService();
  const gate = atTheGate(service);
  const analysing = drive(inProduction(QUICK_SERVICE, PREDECESSOR), succeeded(deployStep(2, 0)));
  const rollingBack = drive(analysing, ...checks(0, 1, 2, breaching()));
  return [
    { label: 'entering development', flow: publish(service) },
    { label: 'deploying to development', flow: drive(publish(service), entered(0)) },
    { label: 'testing in development', flow: drive(publish(service), entered(0), succeeded(deployStep(0))) },
    {
      label: 'waiting for a manual promote',
      flow: drive(publish(MANUAL_DEVELOPMENT), ...passing(MANUAL_DEVELOPMENT, 0)),
    },
    {
      label: 'soaking in staging',
      flow: drive(publish(SOAKING_STAGING), ...passing(SOAKING_STAGING, 0), ...passing(SOAKING_STAGING, 1)),
    },
    { label: 'blocked by a hold', flow: drive(publish(service), held(0)) },
    { label: 'frozen by a window', flow: publish(FROZEN_DEVELOPMENT) },
    { label: 'awaiting approval', flow: gate },
    { label: 'rejected at the gate', flow: drive(gate, reject()) },
    { label: 'with an expired approval', flow: drive(gate, expire(gate.now)) },
    { label: 'approved and entering production', flow: drive(gate, approve()) },
    { label: 'deploying a rollout step', flow: inProduction(service, PREDECESSOR) },
    {
      label: 'testing in production',
      flow: drive(inProduction(WITH_PRODUCTION_TESTS, PREDECESSOR), succeeded(deployStep(2, 0))),
    },
    { label: 'analysing a rollout step', flow: analysing },
    {
      label: 'asking about missing data',
      flow: drive(
        inProduction(ASKING_SERVICE, PREDECESSOR),
        succeeded(deployStep(2, 0)),
        ...checks(0, 1, 2, noData()),
      ),
    },
    { label: 'rolling back', flow: rollingBack },
    { label: 'failed', flow: drive(publish(service), entered(0), failed(deployStep(0))) },
    { label: 'rolled back', flow: drive(rollingBack, succeeded(rollbackStep(2))) },
    { label: 'released', flow: drive(analysing, ...checks(0, 1, 2)) },
    { label: 'superseded with a step in flight', flow: drive(publish(service), entered(0), supersededBy()) },
    { label: 'superseded', flow: drive(publish(service), supersededBy()) },
  ];
}

/** The step a phase is waiting on, or the deploy of the environment it is in when it waits on none. */
export function dueStep(flow: Flow): StepRef {
  const { phase } = flow.promotion;
  const production = flow.service.environments.length - 1;
  switch (phase.kind) {
    case 'deploying':
      return deployStep(phase.environment);
    case 'testing':
      return testStep(phase.environment, phase.test);
    case 'rolling_out':
      return phase.stage.kind === 'testing'
        ? testStep(production, phase.stage.test)
        : deployStep(production, phase.step);
    case 'rolling_back':
      return rollbackStep(production);
    case 'superseded':
      return deployStep(phase.draining ?? 0);
    default:
      return deployStep(environmentIndexOf(flow.promotion, flow.service));
  }
}

/** The event of each type most likely to apply to the promotion as it is. */
export function plausible(flow: Flow, type: PromotionEventType): EventInput {
  const { phase } = flow.promotion;
  const environment =
    'environment' in phase ? phase.environment : environmentIndexOf(flow.promotion, flow.service);
  switch (type) {
    case 'environmentEntered':
      return entered(environment);
    case 'environmentHeld':
      return held(environment);
    case 'holdReleased':
      return unheld(environment);
    case 'freezeEnded':
      return {
        type: 'freezeEnded',
        environment,
        endsAt: phase.kind === 'blocked' ? (phase.hold.until ?? START) : START,
      };
    case 'soakEnded':
      return phase.kind === 'soaking'
        ? { type: 'soakEnded', environment, until: phase.until, at: phase.until }
        : { type: 'soakEnded', environment, until: START };
    case 'stepStarted':
      return started(dueStep(flow));
    case 'stepSucceeded':
      return succeeded(dueStep(flow));
    case 'stepFailed':
      return failed(dueStep(flow));
    case 'analysisCompleted':
      return phase.kind === 'rolling_out' && phase.stage.kind === 'analysing'
        ? checked(phase.step, phase.stage.check + 1, healthy())
        : checked(0, 1, healthy());
    case 'promoteRequested':
      return promote();
    case 'approvalDecided':
      return approve();
    case 'reminderDue':
      return {
        type: 'reminderDue',
        requestedAt: phase.kind === 'awaiting_approval' ? phase.requestedAt : START,
        reminder: phase.kind === 'awaiting_approval' ? (phase.reminded ?? 0) + 1 : 1,
      };
    case 'approvalExpired':
      return expire(phase.kind === 'awaiting_approval' ? phase.requestedAt : START);
    case 'rollbackRequested':
      return rollbackRequested();
    case 'inconclusiveDecided':
    case 'inconclusiveUnanswered': {
      const askedAt =
        phase.kind === 'rolling_out' && phase.stage.kind === 'asking' ? phase.stage.askedAt : START;
      return type === 'inconclusiveUnanswered'
        ? { type, askedAt }
        : { type, askedAt, by: 'U0CAROL', byGroups: [], decision: 'continue' };
    }
    case 'superseded':
      return supersededBy('9.9.9');
  }
}
