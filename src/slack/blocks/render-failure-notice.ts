import type { KnownBlock } from '@slack/types';
import type { Notice } from '../../domain/events.js';
import type { Service } from '../../domain/pipeline.js';
import type { Promotion, StepRecord } from '../../domain/promotion.js';
import { environmentOf } from '../../domain/promotion-view.js';
import { codeBlock } from './code-block.js';
import { describeFailure, type StepOutcome } from './describe-step.js';
import { mention, releaseName, shortCommit, shortDigest } from './format.js';
import { context, type SlackMessage, section, slackMessage } from './slack-message.js';
import { escapeMrkdwn, inlineCode, LIMITS, truncate } from './text.js';

/**
 * For the alert channel: which environment, which step, how it failed, and the last lines of its output.
 * Link-free on purpose: nothing in it unfurls or leads anywhere but the promotion's own thread.
 */
export function renderFailureNotice(promotion: Promotion, service: Service, notice: Notice): SlackMessage {
  const phase = promotion.phase;
  const environment = notice.environment ?? environmentOf(promotion, service);
  const stepName = notice.step ?? (phase.kind === 'failed' ? phase.step : undefined);
  const record = recordOf(promotion, environment, stepName);
  const outcome: StepOutcome = notice.result ?? record ?? {};
  const output = notice.result?.output ?? record?.output ?? [];
  const name = releaseName(service.name, promotion.artifact.version);
  const env = escapeMrkdwn(environment);
  const step = stepName ? ` at ${inlineCode(truncate(stepName, 100))}` : '';
  const headline = `:x: *${name} failed in ${env}*${step}: ${describeFailure(outcome)}`;
  const code = codeBlock(output, { maxChars: LIMITS.sectionText - 40 });
  const blocks: KnownBlock[] = [
    section(headline),
    section(code ? `*Last lines of output*\n${code}` : '_The step wrote no output._'),
    context([
      shortDigest(promotion.artifact.digest),
      ...(promotion.artifact.commit ? [`commit ${shortCommit(promotion.artifact.commit)}`] : []),
      `started by ${mention(promotion.createdBy)}`,
      `promotion ${inlineCode(promotion.id)}`,
    ]),
  ];
  const plainStep = stepName ? ` at ${escapeMrkdwn(truncate(stepName, 100))}` : '';
  return slackMessage(`${name} failed in ${env}${plainStep}: ${describeFailure(outcome)}`, blocks);
}

function recordOf(
  promotion: Promotion,
  environment: string,
  step: string | undefined,
): StepRecord | undefined {
  const stage = promotion.stages.find((candidate) => candidate.environment === environment);
  if (!stage) return undefined;
  const failed = stage.steps.filter((record) => record.status === 'failed');
  return (
    (step === undefined ? failed.at(-1) : failed.findLast((record) => record.name === step)) ?? undefined
  );
}
