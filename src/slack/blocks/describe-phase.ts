import { productionIndex, productionOf, type Service } from '../../domain/pipeline.js';
import type { Promotion, RolloutStage } from '../../domain/promotion.js';
import { planOf } from '../../domain/rollout-plan.js';
import { summariseCause } from './describe-cause.js';
import { formatTime, mention } from './format.js';
import { describeHold } from './hold-words.js';
import { soakLeft } from './soak-words.js';
import { escapeMrkdwn, inlineCode, truncate } from './text.js';

/**
 * Where a promotion is and, when someone must act, what they must do: one line of mrkdwn. `now` is the time of
 * rendering: without it, a soak says when it ends but not how long is left.
 */
export function describePhase(promotion: Promotion, service: Service, now?: string): string {
  const phase = promotion.phase;
  const env = (index: number) =>
    escapeMrkdwn(service.environments[index]?.name ?? `environment ${index + 1}`);
  const production = env(productionIndex(service));
  const promote = inlineCode(`/promote ${service.name} ${truncate(promotion.artifact.version, 60)}`);
  switch (phase.kind) {
    case 'entering':
      return `Queued for ${env(phase.environment)}: another promotion of ${escapeMrkdwn(service.name)} is there.`;
    case 'deploying':
      return `Deploying to ${env(phase.environment)}.`;
    case 'testing': {
      const test =
        service.environments[phase.environment]?.tests[phase.test]?.name ?? `test ${phase.test + 1}`;
      return `Testing in ${env(phase.environment)}: ${inlineCode(test)}.`;
    }
    case 'soaking':
      return now === undefined
        ? `Soaking in ${env(phase.environment)} until ${formatTime(phase.until)}.`
        : `Soaking in ${env(phase.environment)}: ${soakLeft(Date.parse(phase.until) - Date.parse(now), phase.until)}.`;
    case 'waiting':
      return `Passed ${env(phase.environment)}. Waiting for ${promote} to go on to ${env(phase.environment + 1)}.`;
    case 'blocked':
      return `Held before ${env(phase.environment)} by ${describeHold(phase.hold)}`;
    case 'awaiting_approval':
      return `Waiting for approval to deploy to ${production} (expires ${formatTime(phase.expiresAt)}).`;
    case 'rejected':
      return `Rejected for ${production} by ${mention(phase.by)} ${formatTime(phase.at)}: ${escapeMrkdwn(truncate(phase.reason, 500))}`;
    case 'approval_expired':
      return `The ${production} approval request expired ${formatTime(phase.at)}. ${promote} asks again.`;
    case 'rolling_out':
      return `${production}: ${rolloutStepLabel(promotion, service, phase.step)} · ${describeRolloutStage(phase.stage, service)}`;
    case 'rolling_back':
      return `Rolling back ${production}: ${summariseCause(phase.cause)}`;
    case 'failed':
      return phase.rollbackFailed
        ? `:rotating_light: Rollback FAILED in ${env(phase.environment)}: check ${production} by hand.`
        : `Failed in ${env(phase.environment)} at ${inlineCode(phase.step)}.`;
    case 'rolled_back':
      return `Rolled back from ${production}: ${summariseCause(phase.cause)}`;
    case 'released':
      return `Released to ${production} ${formatTime(phase.at)}.`;
    case 'superseded':
      return `Superseded by ${escapeMrkdwn(truncate(phase.by, 60))}.`;
  }
}

/** The label of a production rollout step: `canary 10%`, `switch to green`, `deploy`. */
export function rolloutStepLabel(promotion: Promotion, service: Service, step: number): string {
  if (service.environments.length === 0) return 'deploy';
  return escapeMrkdwn(planOf(promotion, service)[step]?.label ?? `step ${step + 1}`);
}

function describeRolloutStage(stage: RolloutStage, service: Service): string {
  switch (stage.kind) {
    case 'deploying':
      return 'deploying';
    case 'testing': {
      const test = productionOf(service).tests[stage.test]?.name ?? `test ${stage.test + 1}`;
      return `testing ${inlineCode(test)}`;
    }
    case 'analysing': {
      const current = Math.min(stage.check + 1, stage.checks);
      const breaches =
        stage.breaches > 0 ? ` · ${stage.breaches} breach${stage.breaches === 1 ? '' : 'es'} in a row` : '';
      return `analysing check ${current} of ${stage.checks}${breaches}`;
    }
    case 'asking':
      return `no usable data for ${stage.checks} checks: the approvers are asked whether to go on (it rolls back ${formatTime(stage.deadline)} without an answer)`;
  }
}
