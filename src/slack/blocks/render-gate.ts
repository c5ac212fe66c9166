import type { KnownBlock } from '@slack/types';
import { approvalsOf, requesterOf } from '../../domain/approval-policy.js';
import { changeOf } from '../../domain/change.js';
import { opensWithin } from '../../domain/freeze.js';
import { productionIndex, productionOf, type Service } from '../../domain/pipeline.js';
import type { Promotion } from '../../domain/promotion.js';
import { expectedRolloutMs } from '../../domain/rollout-plan.js';
import { describeChange } from './describe-change.js';
import { passedSteps } from './describe-step.js';
import {
  formatDuration,
  formatTime,
  link,
  mention,
  releaseName,
  shortCommit,
  shortDigest,
} from './format.js';
import { gateButtons } from './gate-buttons.js';
import { gateOutcome } from './gate-outcome.js';
import { describeRunning, type RunningDeployment } from './running-now.js';
import { context, fields, header, type SlackMessage, section, slackMessage } from './slack-message.js';
import { soakLength } from './soak-words.js';
import { escapeMrkdwn, truncate } from './text.js';

export type GateContext = {
  /** Production's current deployment when the gate is rendered; undefined: nothing was released there yet. */
  readonly runningInProduction: RunningDeployment | undefined;
  /** The time of rendering: an open request past its expiry shows as expired, without buttons. */
  readonly now: string;
};

/** The production approval request: what would ship, what it passed, who may decide; buttons while open. */
export function renderGate(promotion: Promotion, service: Service, gate: GateContext): SlackMessage {
  const { artifact } = promotion;
  const production = productionOf(service);
  const target = production.name;
  const phase = promotion.phase;
  const open = phase.kind === 'awaiting_approval' && Date.parse(gate.now) < Date.parse(phase.expiresAt);
  const plainName = `${service.name} ${truncate(artifact.version, 60)}`;
  const blocks: KnownBlock[] = [
    header(open ? `Approve ${plainName} for ${target}?` : `${target} approval: ${plainName}`),
    fields(facts(promotion, service)),
    ...previousStage(promotion, service),
    section(`*In ${escapeMrkdwn(target)} now:* ${describeRunning(gate.runningInProduction)}`),
    section(
      `*Change:* ${describeChange(changeOf(replacing(promotion, service, gate), artifact, service.compareUrl))}`,
    ),
    section(whoDecides(promotion, service)),
  ];
  if (open) {
    blocks.push(...freezeWarning(service, gate.now));
    blocks.push(
      context([
        `Expires ${formatTime(phase.expiresAt)} (in ${formatDuration(Date.parse(phase.expiresAt) - Date.parse(gate.now))})`,
      ]),
    );
    blocks.push(gateButtons(promotion, service));
    return slackMessage(
      `${releaseName(service.name, artifact.version)} needs approval for ${escapeMrkdwn(target)}`,
      blocks,
    );
  }
  const outcome = gateOutcome(promotion, service);
  blocks.push(section(outcome));
  return slackMessage(
    `${releaseName(service.name, artifact.version)} ${escapeMrkdwn(target)} approval: ${outcome}`,
    blocks,
  );
}

/** A freeze window that opens before a rollout started now would be done: the approver should know. */
function freezeWarning(service: Service, now: string): KnownBlock[] {
  const expected = expectedRolloutMs(service);
  const production = productionOf(service).name;
  const opening = opensWithin(service.freezes ?? [], production, new Date(now), Math.max(expected, 60_000));
  if (!opening) return [];
  return [
    section(
      `:snowflake: The freeze window “${escapeMrkdwn(truncate(opening.name, 80))}” opens ${formatTime(opening.opensAt)}, within this rollout's expected ${formatDuration(expected)}: approved now, it rolls out into the window (a rollout under way is not stopped); approved once the window is open, it waits until ${formatTime(opening.endsAt)}.`,
    ),
  ];
}

function facts(promotion: Promotion, service: Service): [string, string][] {
  const { artifact } = promotion;
  const pairs: [string, string][] = [
    ['Service', escapeMrkdwn(service.name)],
    ['Version', escapeMrkdwn(truncate(artifact.version, 200))],
    ['Digest', shortDigest(artifact.digest)],
    ['Commit', artifact.commit ? shortCommit(artifact.commit) : 'not given'],
    ['Started by', mention(promotion.createdBy)],
  ];
  if (artifact.url) pairs.push(['Build', link(artifact.url, 'build')]);
  return pairs;
}

function previousStage(promotion: Promotion, service: Service): KnownBlock[] {
  const index = service.environments.length - 2;
  const stage = promotion.stages[index];
  if (index < 0 || !stage) return [];
  const soaked = stage.soakedMs === undefined ? '' : ` · soaked ${soakLength(stage.soakedMs)}`;
  return [section(`*Passed in ${escapeMrkdwn(stage.environment)}:* ${passedSteps(stage.steps)}${soaked}`)];
}

/**
 * What this release replaces: once it entered production, what ran there then (recorded on its stage); before,
 * what runs there now. A decided gate keeps showing the change it was asked about.
 */
function replacing(promotion: Promotion, service: Service, gate: GateContext) {
  const stage = promotion.stages[productionIndex(service)];
  return stage?.startedAt ? stage.predecessor : gate.runningInProduction;
}

function whoDecides(promotion: Promotion, service: Service): string {
  const policy = productionOf(service).approval;
  if (!policy) return `*Who may approve:* nobody: ${escapeMrkdwn(service.name)} has no approval policy.`;
  const approvers = policy.approvers.map(mention).join(', ') || 'nobody';
  const approved = promotion.approvals.filter((a) => a.decision === 'approve');
  const sofar =
    approved.length > 0 ? ` (${approved.map((a) => `${mention(a.by)} ${formatTime(a.at)}`).join(', ')})` : '';
  // Whoever moved it to the gate (a `/promote`) is the one the policy stops; CI publishes as `api`.
  const requester = [requesterOf(promotion), promotion.createdBy].find((id) => /^[UW]/.test(id));
  const selfNote =
    !policy.allowSelfApproval && requester
      ? `\n${mention(requester)} started this promotion and may not approve it.`
      : '';
  return `*Who may approve:* ${approvers}\n*Approvals:* ${approvalsOf(promotion)} of ${policy.required} required${sofar}${selfNote}`;
}
