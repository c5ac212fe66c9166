import type { KnownBlock } from '@slack/types';
import type { Notice } from '../../domain/events.js';
import { productionIndex, productionOf, type Service } from '../../domain/pipeline.js';
import type { Promotion, RollbackCause } from '../../domain/promotion.js';
import { codeBlock } from './code-block.js';
import { describeCause } from './describe-cause.js';
import { describeFailure } from './describe-step.js';
import { releaseName, shortDigest } from './format.js';
import { failureBlocks } from './render-stage-detail.js';
import { context, header, type SlackMessage, section, slackMessage } from './slack-message.js';
import { escapeMrkdwn, inlineCode, LIMITS, truncate } from './text.js';

export type RollbackContext = {
  /** The version production runs now, when the caller knows it. */
  readonly runningNow?: string;
};

type Outcome = 'started' | 'succeeded' | 'failed';

/** Rollback started / succeeded / FAILED, with its cause and the version running now. */
export function renderRollbackNotice(
  promotion: Promotion,
  service: Service,
  notice: Notice,
  rollback: RollbackContext = {},
): SlackMessage {
  const outcome = outcomeOf(notice, promotion);
  const cause = notice.cause ?? causeOf(promotion);
  const envName = notice.environment ?? productionOf(service).name;
  const env = escapeMrkdwn(envName);
  const name = releaseName(service.name, promotion.artifact.version);
  const running = `*Running in ${env} now:* ${runningNow(promotion, service, outcome, rollback)}`;
  const why = cause
    ? [section(`*Why:* ${describeCause(cause).join('\n')}`), ...failedStep(promotion, cause)]
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
  const quarantine =
    cause && cause.kind !== 'manual'
      ? [
          context([
            `${env} is now on hold and this digest is refused: ${inlineCode(`/unhold ${service.name} ${envName}`)} once fixed.`,
          ]),
        ]
      : [];
  const blocks = [
    section(`:leftwards_arrow_with_hook: *Rolled back ${name} in ${env}.*`),
    ...why,
    section(running),
    ...quarantine,
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

function runningNow(
  promotion: Promotion,
  service: Service,
  outcome: Outcome,
  rollback: RollbackContext,
): string {
  if (rollback.runningNow !== undefined) return escapeMrkdwn(truncate(rollback.runningNow, 100));
  const version = escapeMrkdwn(truncate(promotion.artifact.version, 100));
  const predecessor = promotion.stages[productionIndex(service)]?.predecessor;
  if (outcome === 'started') return `${version} (until the rollback finishes)`;
  if (outcome === 'failed') return '*unknown*: check it by hand';
  return predecessor
    ? `${escapeMrkdwn(truncate(predecessor.version, 100))} ${shortDigest(predecessor.digest)}`
    : 'nothing (this was its first release)';
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
