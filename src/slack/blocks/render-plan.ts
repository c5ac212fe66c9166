import type { KnownBlock } from '@slack/types';
import type { EnvironmentPlan, PlanOutcome, PromotionPlan } from '../../domain/promotion-plan.js';
import type { StepOutline } from '../../domain/step-outline.js';
import { formatDuration, formatNumber, formatTime, mention, shortDigest } from './format.js';
import { describeHold } from './hold-words.js';
import { describeRunning } from './running-now.js';
import { context, header, type SlackMessage, section, slackMessage } from './slack-message.js';
import { escapeMrkdwn, inlineCode, truncate } from './text.js';

/**
 * The private answer to `/promote <service> <version> --dry-run`: what would happen, environment by environment,
 * and that nothing was done. One section per environment, so a long pipeline stays within Slack's limits.
 */
export function renderPlan(plan: PromotionPlan): SlackMessage {
  const name = `${plan.service} ${truncate(plan.version, 60)}`;
  const blocks: KnownBlock[] = [
    header(`Dry run: ${name}`),
    context([
      `${plan.digest ? `${shortDigest(plan.digest)} · ` : ''}planned ${formatTime(plan.at)} · nothing was created`,
    ]),
    section(summaryLines(plan).join('\n')),
    ...plan.environments.map((environment) => section(environmentLines(environment).join('\n'))),
  ];
  return slackMessage(`Dry run of ${escapeMrkdwn(name)}: ${outcomeText(plan.outcome)}`, blocks);
}

function summaryLines(plan: PromotionPlan): string[] {
  return [
    outcomeText(plan.outcome),
    ...(plan.quarantine
      ? [
          `:biohazard_sign: Its digest was rolled back (${escapeMrkdwn(truncate(plan.quarantine, 300))}): it stops before production unless an approver forces it`,
        ]
      : []),
    ...(plan.stopsAt
      ? [
          `:double_vertical_bar: Now it would be held before *${escapeMrkdwn(plan.stopsAt.environment)}* by ${describeHold(plan.stopsAt.hold)}`,
        ]
      : []),
  ];
}

function outcomeText(outcome: PlanOutcome): string {
  switch (outcome.kind) {
    case 'new':
      return 'Publishing it would start a new promotion.';
    case 'existing':
      return `Published: promotion ${inlineCode(outcome.promotionId)}${outcome.where ? `, ${escapeMrkdwn(outcome.where)}` : ''}.`;
    case 'conflict':
      return `:no_entry: Publishing it would be refused: ${escapeMrkdwn(outcome.message)}`;
    case 'unpublished':
      return 'Not published yet: there is nothing to promote until CI publishes it.';
  }
}

function environmentLines(environment: EnvironmentPlan): string[] {
  const lines = [
    `*${escapeMrkdwn(environment.name)}* runs ${describeRunning(environment.running)}${environment.running ? ` since ${formatTime(environment.running.since)}` : ''}`,
  ];
  if (environment.gate) {
    const { approvers, required, expiresAfterMs, allowSelfApproval } = environment.gate;
    lines.push(
      `:lock: Gate: ${required} of ${approvers.map(mention).join(', ')} · expires after ${formatDuration(expiresAfterMs)}${allowSelfApproval ? '' : ' · not by who promoted it'}`,
    );
  }
  lines.push(`Deploy: ${stepText(environment.deploy)}${rolloutText(environment)}`);
  const tests = environment.tests.map(
    (test) => `${escapeMrkdwn(truncate(test.name, 80))} (${stepText(test)})`,
  );
  lines.push(`Tests: ${tests.join(', ') || 'none'}`);
  if (environment.soakMs !== undefined) lines.push(`Soak: ${formatDuration(environment.soakMs)}`);
  if (environment.monitor) {
    const { intervalMs, failureLimit, metrics } = environment.monitor;
    const bounds = metrics.map(
      (m) =>
        `${escapeMrkdwn(truncate(m.name, 80))}${m.min === undefined ? '' : ` ≥ ${formatNumber(m.min)}`}${m.max === undefined ? '' : ` ≤ ${formatNumber(m.max)}`}`,
    );
    lines.push(
      `Monitor: every ${formatDuration(intervalMs)}, rolls back after ${failureLimit} breaches in a row: ${bounds.join(', ')}`,
    );
  }
  if (environment.rollback)
    lines.push(
      `Rollback: ${environment.rollback.kind === 'redeploy-previous' ? 'deploys the previous version again' : stepText(environment.rollback)}`,
    );
  if (environment.promote)
    lines.push(environment.promote === 'auto' ? 'Then: moves on by itself' : 'Then: waits for /promote');
  for (const hold of environment.holds) lines.push(`:double_vertical_bar: Held by ${describeHold(hold)}`);
  for (const open of environment.freezes.open)
    lines.push(`:snowflake: Frozen by “${freezeName(open.name)}” until ${formatTime(open.endsAt)}`);
  for (const next of environment.freezes.next)
    lines.push(
      `:calendar: “${freezeName(next.name)}” freezes it from ${formatTime(next.opensAt)} until ${formatTime(next.endsAt)}`,
    );
  return lines;
}

function rolloutText(environment: EnvironmentPlan): string {
  if (!environment.rollout) return '';
  const steps = environment.rollout.steps.map(
    (step) =>
      `${escapeMrkdwn(step.label)}${step.analysisMs > 0 ? ` ${formatDuration(step.analysisMs)}` : ''}`,
  );
  return ` · ${environment.deploy.strategy}: ${steps.join(' → ')} (about ${formatDuration(environment.rollout.expectedMs)})`;
}

function stepText(step: StepOutline): string {
  const what = step.kind === 'run' ? step.command : `${step.method} ${step.url}`;
  return `${inlineCode(truncate(what, 200))}, timeout ${formatDuration(step.timeoutMs)}`;
}

function freezeName(name: string): string {
  return escapeMrkdwn(truncate(name, 80));
}
