import type { Service } from '../../domain/pipeline.js';
import type { Promotion } from '../../domain/promotion.js';
import { environmentOf, statusOf } from '../../domain/promotion-view.js';
import { formatTime, releaseName, shortDigest } from './format.js';
import { type DeliveryProblem, deliveryProblemLines } from './render-delivery-problems.js';
import { context, type SlackMessage, section, sections, slackMessage } from './slack-message.js';
import { statusBadge } from './status-badge.js';
import { escapeMrkdwn, LIMITS, truncate } from './text.js';

/** The reply to `/promotions [service]`: one line per promotion, newest first. */
export function renderPromotionsList(
  promotions: readonly Promotion[],
  servicesByName: ReadonlyMap<string, Service>,
  deliveryProblems: readonly DeliveryProblem[] = [],
): SlackMessage {
  const problems = deliveryProblemLines(deliveryProblems).map((line) =>
    section(truncate(line, LIMITS.sectionText)),
  );
  if (promotions.length === 0)
    return slackMessage('No promotions yet.', [...problems, section('No promotions yet.')]);
  const newest = [...promotions].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const lines = newest.map((promotion) => line(promotion, servicesByName.get(promotion.artifact.service)));
  const count = `${promotions.length} promotion${promotions.length === 1 ? '' : 's'}`;
  return slackMessage(count, [...problems, ...sections(lines), context([`${count} · newest first`])]);
}

function line(promotion: Promotion, service: Service | undefined): string {
  const { artifact } = promotion;
  const where = service ? ` · ${escapeMrkdwn(environmentOf(promotion, service))}` : '';
  return `${statusBadge(statusOf(promotion.phase))}${where} · *${releaseName(artifact.service, artifact.version)}* ${shortDigest(artifact.digest)} · ${formatTime(promotion.updatedAt)}`;
}
