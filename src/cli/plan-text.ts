import ms from 'ms';
import type { Hold } from '../domain/promotion.js';
import type { EnvironmentPlan, PlanOutcome, PromotionPlan } from '../domain/promotion-plan.js';
import type { StepOutline } from '../domain/step-outline.js';

// `promotion-bot publish --dry-run`: the plan as a person reads it in a CI log, one fact a line, times in UTC.

export function planLines(plan: PromotionPlan): string[] {
  const digest = plan.digest ? ` (${plan.digest})` : '';
  const lines = [
    `dry run: ${plan.service} ${plan.version}${digest}, planned ${utc(plan.at)}; nothing was created`,
    outcomeLine(plan.outcome),
  ];
  if (plan.quarantine)
    lines.push(`quarantined: its digest was rolled back (${plan.quarantine}); it stops before production`);
  if (plan.stopsAt)
    lines.push(`held now: it would stop before ${plan.stopsAt.environment} (${holdText(plan.stopsAt.hold)})`);
  for (const environment of plan.environments) lines.push('', ...environmentLines(environment));
  return lines;
}

function outcomeLine(outcome: PlanOutcome): string {
  switch (outcome.kind) {
    case 'new':
      return 'publishing would start a new promotion';
    case 'existing':
      return `already published: promotion ${outcome.promotionId}${outcome.where ? `, ${outcome.where}` : ''}; publishing again starts nothing`;
    case 'conflict':
      return `publishing would be refused: ${outcome.message}`;
    case 'unpublished':
      return 'not published yet: there is nothing to promote until CI publishes it';
  }
}

function environmentLines(environment: EnvironmentPlan): string[] {
  const running = environment.running
    ? `runs ${environment.running.version} (${environment.running.digest}) since ${utc(environment.running.since)}`
    : 'runs nothing yet';
  const last = environment.production && environment.name !== 'production' ? ' (production)' : '';
  const lines = [`${environment.name}${last}: ${running}`];
  const add = (label: string, text: string) => lines.push(`  ${label.padEnd(12)}${text}`);
  if (environment.gate) {
    const { approvers, required, expiresAfterMs, allowSelfApproval } = environment.gate;
    add(
      'gate',
      `${required} approval${required === 1 ? '' : 's'} of ${approvers.join(', ')}; expires after ${duration(expiresAfterMs)}${allowSelfApproval ? '' : '; not by who promoted it'}`,
    );
  }
  add('deploy', `${stepText(environment.deploy)}${strategyText(environment)}`);
  for (const test of environment.tests) add('test', `${test.name}: ${stepText(test)}`);
  if (environment.tests.length === 0) add('tests', 'none');
  if (environment.soakMs !== undefined) add('soak', duration(environment.soakMs));
  if (environment.monitor) {
    const { intervalMs, failureLimit, metrics } = environment.monitor;
    const bounds = metrics.map(
      (m) =>
        `${m.name}${m.min === undefined ? '' : ` >= ${m.min}`}${m.max === undefined ? '' : ` <= ${m.max}`}`,
    );
    add(
      'monitor',
      `every ${duration(intervalMs)}, rolls back after ${failureLimit} breaches in a row: ${bounds.join(', ')}`,
    );
  }
  if (environment.rollback)
    add(
      'rollback',
      environment.rollback.kind === 'redeploy-previous'
        ? 'deploys the previous version again'
        : stepText(environment.rollback),
    );
  if (environment.promote)
    add('then', environment.promote === 'auto' ? 'moves on by itself' : 'waits for /promote');
  for (const hold of environment.holds) add('hold', holdText(hold));
  for (const open of environment.freezes.open) add('frozen', `"${open.name}" until ${utc(open.endsAt)}`);
  for (const next of environment.freezes.next)
    add('next freeze', `"${next.name}" from ${utc(next.opensAt)} until ${utc(next.endsAt)}`);
  if (environment.blockedBy) add('held now', holdText(environment.blockedBy));
  return lines;
}

function strategyText(environment: EnvironmentPlan): string {
  if (!environment.rollout) return '';
  const steps = environment.rollout.steps.map(
    (step) => `${step.label}${step.analysisMs > 0 ? ` ${duration(step.analysisMs)}` : ''}`,
  );
  return `, ${environment.deploy.strategy}: ${steps.join(' -> ')} (about ${duration(environment.rollout.expectedMs)})`;
}

function stepText(step: StepOutline): string {
  const what = step.kind === 'run' ? `run ${step.command}` : `${step.method} ${step.url}`;
  const retries = step.retries > 0 ? `, ${step.retries} retries` : '';
  return `${what} (timeout ${duration(step.timeoutMs)}${retries})`;
}

function holdText(hold: Hold): string {
  const until = hold.until ? ` until ${utc(hold.until)}` : '';
  if (hold.freeze) return `freeze window "${hold.freeze}"${until}`;
  return `held by ${hold.by} since ${utc(hold.at)}${until}: ${hold.reason}`;
}

function duration(milliseconds: number): string {
  return milliseconds === 0 ? '0s' : ms(milliseconds);
}

function utc(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}
