import type { KnownBlock } from '@slack/types';
import { breachStepOf, describeBreachStep } from '../../domain/breach-step.js';
import type { Notice } from '../../domain/events.js';
import { productionOf, type Service } from '../../domain/pipeline.js';
import type { Promotion, RollbackCause } from '../../domain/promotion.js';
import { recoveryAdvice } from '../../domain/recovery.js';
import { codeBlock } from './code-block.js';
import { describeCause } from './describe-cause.js';
import { describeFailure } from './describe-step.js';
import { releaseName, shortDigest } from './format.js';
import { failureBlocks } from './render-stage-detail.js';
import { describeRunning, type RunningDeployment } from './running-now.js';
import { context, header, type SlackMessage, section, slackMessage } from './slack-message.js';
import { escapeMrkdwn, inlineCode, LIMITS, truncate } from './text.js';

export type RollbackContext = {
  /** Production's current deployment when the notice is rendered; undefined: nothing was released there. */
  readonly running: RunningDeployment | undefined;
};

type Outcome = 'started' | 'succeeded' | 'failed';

/** Rollback started / succeeded / FAILED, with its cause and the version running now. */
export function renderRollbackNotice(
  promotion: Promotion,
  service: Service,
  notice: Notice,
  rollback: RollbackContext,
): SlackMessage {
  const outcome = outcomeOf(notice, promotion);
  const cause = notice.cause ?? causeOf(promotion);
  const envName = notice.environment ?? productionOf(service).name;
  const env = escapeMrkdwn(envName);
  const name = releaseName(service.name, promotion.artifact.version);
  const running = `*Running in ${env} now:* ${runningNow(outcome, rollback)}`;
  const why = cause
    ? [section(whyLines(promotion, service, cause).join('\n')), ...failedStep(promotion, cause)]
    : [];
  const facts = context([shortDigest(promotion.artifact.digest), `promotion ${inlineCode(promotion.id)}`]);
  if (outcome === 'failed') {
    const plain = `ROLLBACK FAILED: ${service.name} ${truncate(promotion.artifact.version, 60)} in ${envName}`;
    const blocks: KnownBlock[] = [
      header(`:rotating_light: ${plain}`),
      section(
        `<!here> :rotating_light: *The rollback of ${name} in ${env} FAILED.* What runs in ${env} now is uncertain: a person must act now.`,
      ),
      ...rollbackFailure(notice),
      ...why,
      section(running),
      facts,
    ];
    return slackMessage(`<!here> :rotating_light: ROLLBACK FAILED: ${name} in ${env}`, blocks);
  }
  if (outcome === 'started') {
    const blocks = [section(`:rewind: *Rolling back ${name} in ${env}.*`), ...why, section(running), facts];
    return slackMessage(`Rolling back ${name} in ${env}`, blocks);
  }
  const blocks = [
    section(`:leftwards_arrow_with_hook: *Rolled back ${name} in ${env}.*`),
    ...why,
    section(running),
    section(
      `*Next:* ${capitalise(escapeMrkdwn(recoveryAdvice(service, truncate(promotion.artifact.version, 60))))}.`,
    ),
    facts,
  ];
  return slackMessage(`Rolled back ${name} in ${env}`, blocks);
}

function outcomeOf(notice: Notice, promotion: Promotion): Outcome {
  if (notice.kind === 'rollback_failed') return 'failed';
  if (notice.kind === 'rolled_back') return 'succeeded';
  if (notice.kind === 'rollback_started') return 'started';
  const phase = promotion.phase;
  if (phase.kind === 'failed' && phase.rollbackFailed) return 'failed';
  return phase.kind === 'rolled_back' ? 'succeeded' : 'started';
}

function causeOf(promotion: Promotion): RollbackCause | undefined {
  const phase = promotion.phase;
  return phase.kind === 'rolling_back' || phase.kind === 'rolled_back' ? phase.cause : undefined;
}

/** The same words as every other message (the deployment record), except when the rollback failed. */
function runningNow(outcome: Outcome, rollback: RollbackContext): string {
  if (outcome !== 'failed') return describeRunning(rollback.running);
  return `*unknown*: check it by hand (last recorded: ${describeRunning(rollback.running)})`;
}

/** Why it rolled back, and at which rollout step that happened. */
function whyLines(promotion: Promotion, service: Service, cause: RollbackCause): string[] {
  const lines = describeCause(cause);
  const step = breachStepOf(promotion, service, cause);
  if (!step) return [`*Why:* ${lines.join('\n')}`];
  return [`*Why:* ${lines.join('\n')}`, `*Where:* ${escapeMrkdwn(describeBreachStep(step, cause))}`];
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What went wrong with the rollback itself: the reason, or the rollback step's exit code and output. */
function rollbackFailure(notice: Notice): KnownBlock[] {
  if (notice.reason) return [section(`*Rollback problem:* ${escapeMrkdwn(truncate(notice.reason, 1000))}`)];
  if (!notice.result) return [];
  const heading = `*Rollback step:* ${describeFailure(notice.result)}`;
  const output = codeBlock(notice.result.output, { maxChars: LIMITS.sectionText - heading.length - 1 });
  return [section(output ? `${heading}\n${output}` : heading)];
}

/** For a rollout step that failed: its exit code and last output, from the production stage. */
function failedStep(promotion: Promotion, cause: RollbackCause): KnownBlock[] {
  if (cause.kind !== 'step-failed') return [];
  const record = promotion.stages
    .at(-1)
    ?.steps.findLast((s) => s.name === cause.step && s.status === 'failed');
  return record ? failureBlocks(record) : [];
}
