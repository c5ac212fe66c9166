import type { KnownBlock } from '@slack/types';
import type { Service } from '../../domain/pipeline.js';
import type { Promotion, Stage, StepRecord } from '../../domain/promotion.js';
import { codeBlock } from './code-block.js';
import { describeFailure, stepLine } from './describe-step.js';
import { formatDuration, releaseName } from './format.js';
import { context, type SlackMessage, section, slackMessage } from './slack-message.js';
import { soakLength } from './soak-words.js';
import { escapeMrkdwn, inlineCode, LIMITS, truncate } from './text.js';

const STAGE_WORDS: Readonly<Record<Stage['status'], string>> = {
  pending: 'has not started',
  running: 'is running',
  passed: 'passed',
  failed: 'failed',
  held: 'is held',
  skipped: 'was skipped',
  rolled_back: 'was rolled back',
};

/** The thread reply for a stage: every step with its result and duration, and why a failed step failed. */
export function renderStageDetail(promotion: Promotion, service: Service, environment: string): SlackMessage {
  const name = releaseName(service.name, promotion.artifact.version);
  const env = escapeMrkdwn(environment);
  const stage = promotion.stages.find((candidate) => candidate.environment === environment);
  if (!stage)
    return slackMessage(`${name}: no stage ${env}`, [
      section(`*${name}* has no stage ${inlineCode(environment)}.`),
    ]);
  const took = stageDuration(stage);
  const title = `*${name}* ${STAGE_WORDS[stage.status]} in *${env}*${took ? ` (${took})` : ''}`;
  const steps = stage.steps.length > 0 ? stage.steps.map(stepLine).join('\n') : '_No steps ran._';
  const failed = stage.steps.filter((step) => step.status === 'failed');
  const blocks: KnownBlock[] = [section(`${title}\n${steps}`), ...failed.flatMap(failureBlocks)];
  const predecessor = stage.predecessor ? [`replaced ${escapeMrkdwn(stage.predecessor.version)}`] : [];
  const color = stage.color ? [`colour ${stage.color}`] : [];
  const soaked = stage.soakedMs === undefined ? [] : [`soaked ${soakLength(stage.soakedMs)}`];
  const facts = [...predecessor, ...color, ...soaked];
  if (facts.length > 0) blocks.push(context(facts));
  const summary = failed[0] ? ` at ${escapeMrkdwn(failed[0].name)} (${describeFailure(failed[0])})` : '';
  return slackMessage(`${name} ${STAGE_WORDS[stage.status]} in ${env}${summary}`, blocks);
}

/** A failed step's exit code or status and the last lines of its output. */
export function failureBlocks(step: StepRecord): KnownBlock[] {
  const heading = `${inlineCode(truncate(step.name, 100))} failed: ${describeFailure(step)}`;
  const output = codeBlock(step.output ?? [], { maxChars: LIMITS.sectionText - heading.length - 1 });
  return [section(output ? `${heading}\n${output}` : `${heading}\n_No output._`)];
}

function stageDuration(stage: Stage): string | undefined {
  if (!stage.startedAt || !stage.finishedAt) return undefined;
  const ms = Date.parse(stage.finishedAt) - Date.parse(stage.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? formatDuration(ms) : undefined;
}
