// Drives a promotion through events so a test reads like the flow chart: publish, then one event after another,
// each stamped a minute after the last and each required to be accepted.
import { advance, startPromotion } from '../../../src/domain/advance.js';
import type { Restrictions } from '../../../src/domain/entering.js';
import type {
  Effect,
  NoticeKind,
  PromotionEvent,
  PromotionEventType,
  StepRef,
  StepResult,
  Transition,
} from '../../../src/domain/events.js';
import type { Service } from '../../../src/domain/pipeline.js';
import type { Artifact, Measurement, Predecessor, Promotion } from '../../../src/domain/promotion.js';
import { anArtifact, aService, MINUTE } from '../../support/pipeline-builder.js';

export const START = '2024-03-01T09:00:00.000Z';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event without its time, or with one when the test cares about it. */
export type EventInput = DistributiveOmit<PromotionEvent, 'at'> & { readonly at?: string };

export type Flow = {
  readonly service: Service;
  readonly promotion: Promotion;
  /** Effects of the last transition. */
  readonly effects: readonly Effect[];
  /** Every effect since the promotion was published. */
  readonly history: readonly Effect[];
  readonly now: string;
  /** The holds and quarantine in force for the next events (none unless a test sets them). */
  readonly restrictions?: Restrictions;
};

export type PublishOptions = {
  readonly by?: string;
  readonly artifact?: Artifact;
  readonly id?: string;
  readonly at?: string;
  readonly restrictions?: Restrictions;
};

export function publish(service: Service = aService(), options: PublishOptions = {}): Flow {
  const at = options.at ?? START;
  const started = startPromotion({
    id: options.id ?? 'p-1',
    artifact: options.artifact ?? anArtifact(),
    service,
    by: options.by ?? 'api',
    at,
    ...(options.restrictions ? { restrictions: options.restrictions } : {}),
  });
  return {
    service,
    promotion: started.promotion,
    effects: started.effects,
    history: started.effects,
    now: at,
    ...(options.restrictions ? { restrictions: options.restrictions } : {}),
  };
}

/** The same flow, its next events decided with these holds (and quarantine) in force. */
export function restricted(flow: Flow, restrictions: Restrictions): Flow {
  return { ...flow, restrictions };
}

export function later(at: string, ms = MINUTE): string {
  return new Date(Date.parse(at) + ms).toISOString();
}

export function stamp(event: EventInput, at: string): PromotionEvent {
  return { ...event, at };
}

/** One event a minute after the flow's last (or at its own time), without asserting anything. */
export function attempt(flow: Flow, event: EventInput): Transition {
  return advance(flow.promotion, stamp(event, event.at ?? later(flow.now)), flow.service, flow.restrictions);
}

/** Applies each event in turn and fails the test, naming the event, as soon as one is refused. */
export function drive(flow: Flow, ...events: readonly EventInput[]): Flow {
  return events.reduce((current, event, index) => {
    const at = event.at ?? later(current.now);
    const transition = advance(current.promotion, stamp(event, at), current.service, current.restrictions);
    if (!transition.ok) {
      throw new Error(
        `event #${index + 1} (${event.type}) was refused in phase ${current.promotion.phase.kind}: ${transition.reason}`,
      );
    }
    return {
      service: current.service,
      ...(current.restrictions ? { restrictions: current.restrictions } : {}),
      promotion: transition.promotion,
      effects: transition.effects,
      history: [...current.history, ...transition.effects],
      now: at,
    };
  }, flow);
}

// ---- events ------------------------------------------------------------------------------------------------

export function entered(environment: number, predecessor?: Predecessor): EventInput {
  return { type: 'environmentEntered', environment, ...(predecessor ? { predecessor } : {}) };
}

export function held(environment: number, reason = 'change freeze', by = 'U0ALICE'): EventInput {
  return { type: 'environmentHeld', environment, hold: { reason, by, at: START } };
}

export function unheld(environment: number, by = 'U0ALICE'): EventInput {
  return { type: 'holdReleased', environment, by };
}

export function deployStep(environment: number, rolloutStep = 0): StepRef {
  return { kind: 'deploy', environment, rolloutStep };
}

export function testStep(environment: number, test: number): StepRef {
  return { kind: 'test', environment, test };
}

export function rollbackStep(environment = 2): StepRef {
  return { kind: 'rollback', environment };
}

export function aResult(overrides: Partial<StepResult> = {}): StepResult {
  return { durationMs: 1200, exitCode: 0, output: [], ...overrides };
}

export function started(step: StepRef): EventInput {
  return { type: 'stepStarted', step };
}

export function succeeded(step: StepRef, result: StepResult = aResult()): EventInput {
  return { type: 'stepSucceeded', step, result };
}

export function failed(
  step: StepRef,
  result: StepResult = aResult({ exitCode: 1, output: ['boom'] }),
): EventInput {
  return { type: 'stepFailed', step, result };
}

export function healthy(value = 0.001, metric = 'error-rate'): Measurement[] {
  return [{ metric, value, max: 0.01, verdict: 'healthy' }];
}

export function breaching(value = 0.05, metric = 'error-rate'): Measurement[] {
  return [{ metric, value, max: 0.01, verdict: 'breach', reason: `${value} > max 0.01` }];
}

export function noData(metric = 'error-rate'): Measurement[] {
  return [{ metric, max: 0.01, verdict: 'inconclusive', reason: 'the query returned no series' }];
}

export function checked(
  step: number,
  check: number,
  measurements: readonly Measurement[] = healthy(),
): EventInput {
  return { type: 'analysisCompleted', analysis: { step, check }, measurements };
}

/** Checks `from`..`to` (inclusive) of a rollout step, all with the same measurements. */
export function checks(
  step: number,
  from: number,
  to: number,
  measurements: readonly Measurement[] = healthy(),
): EventInput[] {
  return Array.from({ length: to - from + 1 }, (_, index) => checked(step, from + index, measurements));
}

export function promote(to?: string, by = 'U0ALICE'): EventInput {
  return { type: 'promoteRequested', by, ...(to === undefined ? {} : { to }) };
}

export function approve(by = 'U0CAROL', byGroups: readonly string[] = []): EventInput {
  return { type: 'approvalDecided', by, byGroups, decision: 'approve' };
}

export function reject(by = 'U0CAROL', reason = 'not during the sale'): EventInput {
  return { type: 'approvalDecided', by, byGroups: [], decision: 'reject', reason };
}

export function expire(requestedAt: string): EventInput {
  return { type: 'approvalExpired', requestedAt };
}

export function rollbackRequested(by = 'U0ALICE', reason?: string): EventInput {
  return { type: 'rollbackRequested', by, ...(reason === undefined ? {} : { reason }) };
}

export function supersededBy(version = '1.5.0'): EventInput {
  return { type: 'superseded', by: version };
}

// ---- whole environments ------------------------------------------------------------------------------------

/** Enters a pre-production environment, deploys it and passes each of its tests. */
export function passing(service: Service, environment: number, predecessor?: Predecessor): EventInput[] {
  const tests = service.environments[environment]?.tests ?? [];
  return [
    entered(environment, predecessor),
    succeeded(deployStep(environment)),
    ...tests.map((_, index) => succeeded(testStep(environment, index))),
  ];
}

/** Publishes and drives the promotion through every environment before production, to the gate. */
export function atTheGate(service: Service = aService(), options: PublishOptions = {}): Flow {
  const flow = publish(service, options);
  const before = service.environments.slice(0, -1).flatMap((_, index) => passing(service, index));
  return drive(flow, ...before);
}

/** At the gate, approved, and into production: the first rollout step is deploying. */
export function inProduction(service: Service = aService(), predecessor?: Predecessor): Flow {
  const production = service.environments.length - 1;
  return drive(atTheGate(service), approve(), entered(production, predecessor));
}

export const PREDECESSOR: Predecessor = { version: '1.3.0', digest: `sha256:${'b'.repeat(64)}` };

// ---- reading effects ---------------------------------------------------------------------------------------

export function effectsOfType<T extends Effect['type']>(
  effects: readonly Effect[],
  type: T,
): Extract<Effect, { type: T }>[] {
  return effects.filter((effect): effect is Extract<Effect, { type: T }> => effect.type === type);
}

export function noticesIn(effects: readonly Effect[]): NoticeKind[] {
  return effectsOfType(effects, 'notify').map((effect) => effect.notice.kind);
}

export function stepsRunIn(effects: readonly Effect[]): StepRef[] {
  return effectsOfType(effects, 'runStep').map((effect) => effect.step);
}

export function typesOf(effects: readonly Effect[]): Effect['type'][] {
  return effects.map((effect) => effect.type);
}

/** Every kind of event the state machine knows. */
export const EVENT_TYPES: readonly PromotionEventType[] = [
  'environmentEntered',
  'environmentHeld',
  'holdReleased',
  'freezeEnded',
  'soakEnded',
  'stepStarted',
  'stepSucceeded',
  'stepFailed',
  'analysisCompleted',
  'promoteRequested',
  'approvalDecided',
  'approvalExpired',
  'reminderDue',
  'inconclusiveDecided',
  'inconclusiveUnanswered',
  'rollbackRequested',
  'superseded',
];
