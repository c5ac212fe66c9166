import type { Service } from '../../domain/pipeline.js';
import type { Promotion } from '../../domain/promotion.js';
import { environmentOf, statusOf } from '../../domain/promotion-view.js';
import { describeMeasurement } from './describe-cause.js';
import { describePhase } from './describe-phase.js';
import { formatTime, link, mention, releaseName, shortCommit, shortDigest } from './format.js';
import { context, type SlackMessage, section, slackMessage } from './slack-message.js';
import { stageLine, stageWords } from './stage-line.js';
import { statusBadge, statusLabel } from './status-badge.js';
import { escapeMrkdwn, truncate } from './text.js';

/**
 * The parent message of a promotion in the service's channel, edited in place as the promotion moves. `now`, the
 * time of rendering, tells a soak's time left.
 */
export function renderPromotionMessage(promotion: Promotion, service: Service, now?: string): SlackMessage {
  const status = statusOf(promotion.phase);
  const name = releaseName(service.name, promotion.artifact.version);
  const environment = escapeMrkdwn(environmentOf(promotion, service));
  const blocks = [
    section(`*${name}*  ${statusBadge(status)} · ${environment}`),
    context(artifactFacts(promotion)),
    ...(promotion.artifact.notes
      ? [section(`*Notes*\n${escapeMrkdwn(truncate(promotion.artifact.notes, 1500))}`)]
      : []),
    section(stageLine(promotion, service)),
    section(describePhase(promotion, service, now)),
    ...lastMeasurements(promotion),
  ];
  return slackMessage(
    `${name}: ${statusLabel(status)} in ${environment} (${stageWords(promotion, service)})`,
    blocks,
  );
}

/** Digest, commit, build link and who published it: what identifies the artifact. */
export function artifactFacts(promotion: Promotion): string[] {
  const { artifact } = promotion;
  return [
    shortDigest(artifact.digest),
    ...(artifact.commit ? [`commit ${shortCommit(artifact.commit)}`] : []),
    ...(artifact.url ? [link(artifact.url, 'build')] : []),
    `published by ${mention(promotion.createdBy)} ${formatTime(promotion.createdAt)}`,
  ];
}

function lastMeasurements(promotion: Promotion) {
  const phase = promotion.phase;
  if (phase.kind !== 'rolling_out' || phase.stage.kind !== 'analysing' || !phase.stage.last) return [];
  if (phase.stage.last.length === 0) return [];
  return [context(['Last check:', ...phase.stage.last.map(describeMeasurement)])];
}
