import { NO_RESTRICTIONS, type Restrictions } from './entering.js';
import type { Effect, PromotionEvent, Transition } from './events.js';
import type { Service } from './pipeline.js';
import type { Artifact, Promotion } from './promotion.js';
import {
  goTo,
  onEnvironmentEntered,
  onEnvironmentHeld,
  onFreezeEnded,
  onHoldReleased,
  onPromoteRequested,
} from './transition-environments.js';
import { onApprovalDecided, onApprovalExpired, onReminderDue } from './transition-gate.js';
import type { Ctx } from './transition-kit.js';
import { notice } from './transition-kit.js';
import { onRollbackRequested } from './transition-rollback.js';
import {
  onAnalysisCompleted,
  onInconclusiveDecided,
  onInconclusiveUnanswered,
} from './transition-rollout.js';
import { onSoakEnded } from './transition-soak.js';
import { onStepFinished, onStepStarted } from './transition-steps.js';
import { onSuperseded } from './transition-supersede.js';

export { planOf } from './rollout-plan.js';
export { stepName } from './transition-kit.js';

// The promotion state machine: `advance(promotion, event)` returns the next promotion and the effects the
// engine must carry out, or the reason the event does not apply. No I/O, no clock: time arrives on events.

export function startPromotion(input: {
  readonly id: string;
  readonly artifact: Artifact;
  readonly service: Service;
  readonly by: string;
  readonly at: string;
  readonly forcedBy?: string;
  readonly restrictions?: Restrictions;
}): { readonly promotion: Promotion; readonly effects: readonly Effect[] } {
  const promotion: Promotion = {
    id: input.id,
    artifact: input.artifact,
    createdBy: input.by,
    ...(input.forcedBy === undefined ? {} : { forcedBy: input.forcedBy }),
    createdAt: input.at,
    updatedAt: input.at,
    phase: { kind: 'entering', environment: 0 },
    stages: input.service.environments.map((environment) => ({
      environment: environment.name,
      status: 'pending',
      steps: [],
    })),
    approvals: [],
  };
  // goTo, not a plain enterEnvironment: when the first environment is production, it is behind the gate too.
  const started = goTo(
    promotion,
    0,
    { service: input.service, at: input.at, restrictions: input.restrictions ?? NO_RESTRICTIONS },
    [{ type: 'supersedeOlder' }, notice({ kind: 'published', by: input.by })],
    input.by,
  );
  return { promotion: started.promotion, effects: started.effects };
}

export function advance(
  promotion: Promotion,
  event: PromotionEvent,
  service: Service,
  restrictions: Restrictions = NO_RESTRICTIONS,
): Transition {
  const ctx: Ctx = { service, at: event.at, restrictions };
  const next = route(promotion, event, ctx);
  if (!next.ok) return next;
  return { ...next, promotion: { ...next.promotion, updatedAt: event.at } };
}

function route(p: Promotion, event: PromotionEvent, ctx: Ctx): Transition {
  switch (event.type) {
    case 'environmentEntered':
      return onEnvironmentEntered(p, event, ctx);
    case 'environmentHeld':
      return onEnvironmentHeld(p, event, ctx);
    case 'holdReleased':
      return onHoldReleased(p, event, ctx);
    case 'freezeEnded':
      return onFreezeEnded(p, event, ctx);
    case 'soakEnded':
      return onSoakEnded(p, event, ctx);
    case 'stepStarted':
      return onStepStarted(p, event, ctx);
    case 'stepSucceeded':
    case 'stepFailed':
      return onStepFinished(p, event, ctx);
    case 'analysisCompleted':
      return onAnalysisCompleted(p, event, ctx);
    case 'promoteRequested':
      return onPromoteRequested(p, event, ctx);
    case 'approvalDecided':
      return onApprovalDecided(p, event, ctx);
    case 'approvalExpired':
      return onApprovalExpired(p, event, ctx);
    case 'reminderDue':
      return onReminderDue(p, event, ctx);
    case 'rollbackRequested':
      return onRollbackRequested(p, event, ctx);
    case 'inconclusiveDecided':
      return onInconclusiveDecided(p, event, ctx);
    case 'inconclusiveUnanswered':
      return onInconclusiveUnanswered(p, event, ctx);
    case 'superseded':
      return onSuperseded(p, event, ctx);
  }
}
