import type { HomeView, KnownBlock } from '@slack/types';
import type { Hold, PromotionStatus } from '../../domain/promotion.js';
import { formatTime, mention } from './format.js';
import { type DeliveryProblem, deliveryProblemLines } from './render-delivery-problems.js';
import { describeRunning } from './running-now.js';
import { context, divider, header, limitBlocks, section } from './slack-message.js';
import { soakLeft } from './soak-words.js';
import { statusBadge } from './status-badge.js';
import { escapeMrkdwn, LIMITS, truncate } from './text.js';

/** What the App Home shows: plain data the caller reads from the stores. */
export type HomeOverview = {
  readonly services: readonly HomeService[];
  /** Channels the bot cannot post in: their messages wait until it is invited. */
  readonly deliveryProblems?: readonly DeliveryProblem[];
  /** When the data was read. */
  readonly asOf?: string;
};

export type HomeService = {
  readonly name: string;
  /** In pipeline order, each with what it runs now (if anything). */
  readonly environments: readonly HomeEnvironment[];
  readonly inFlight: readonly HomePromotion[];
  readonly holds: readonly Hold[];
  /** Freeze windows open now, and the next openings within the next two weeks. */
  readonly freezes?: {
    readonly open: readonly HomeFreeze[];
    readonly next: readonly HomeFreeze[];
  };
};

export type HomeFreeze = {
  readonly name: string;
  readonly environments: readonly string[];
  readonly opensAt: string;
  readonly endsAt: string;
};

export type HomeEnvironment = {
  readonly name: string;
  readonly running?: { readonly version: string; readonly digest: string; readonly since?: string };
};

export type HomePromotion = {
  readonly version: string;
  readonly status: PromotionStatus;
  /** The environment it is in or at the gate of. */
  readonly environment: string;
  /** While it soaks there: when the soak ends, and how long is left as of reading. */
  readonly soak?: { readonly until: string; readonly leftMs: number };
};

/** The App Home tab: per service, what runs where, what is moving, and what is held by whom. */
export function renderHome(overview: HomeOverview): HomeView {
  const blocks: KnownBlock[] = [header('Promotions')];
  if (overview.asOf) blocks.push(context([`As of ${formatTime(overview.asOf)}`]));
  const problems = deliveryProblemLines(overview.deliveryProblems ?? []);
  if (problems.length > 0) blocks.push(section(truncate(problems.join('\n'), LIMITS.sectionText)), divider());
  if (overview.services.length === 0) blocks.push(section('No services are configured.'));
  for (const service of overview.services) blocks.push(...serviceBlocks(service), divider());
  return { type: 'home', blocks: limitBlocks(blocks, LIMITS.viewBlocks) };
}

function serviceBlocks(service: HomeService): KnownBlock[] {
  const running = service.environments.map((environment) => {
    const since = environment.running?.since;
    const what = `${describeRunning(environment.running)}${since ? ` since ${formatTime(since)}` : ''}`;
    return `*${escapeMrkdwn(environment.name)}* ${what}`;
  });
  const moving = service.inFlight.map(
    (p) =>
      `${statusBadge(p.status)} · ${escapeMrkdwn(truncate(p.version, 100))} · ${escapeMrkdwn(p.environment)}${p.soak ? ` · soaking: ${soakLeft(p.soak.leftMs, p.soak.until)}` : ''}`,
  );
  const holds = service.holds.map(
    (hold) =>
      `:double_vertical_bar: *${hold.environment ? escapeMrkdwn(hold.environment) : 'every environment'}* held by ${mention(hold.by)} ${formatTime(hold.at)}: ${escapeMrkdwn(truncate(hold.reason, 300))}`,
  );
  const freezes = freezeLines(service.freezes);
  return [
    header(service.name),
    section(running.join('\n') || '_No environments._'),
    section(`*In flight*\n${moving.join('\n') || '_Nothing in flight._'}`),
    ...(holds.length > 0 ? [section(`*Holds*\n${holds.join('\n')}`)] : []),
    ...(freezes.length > 0
      ? [section(truncate(`*Freeze windows*\n${freezes.join('\n')}`, LIMITS.sectionText))]
      : []),
  ];
}

function freezeLines(freezes: HomeService['freezes']): string[] {
  if (!freezes) return [];
  const where = (freeze: HomeFreeze) => freeze.environments.map(escapeMrkdwn).join(', ');
  const name = (freeze: HomeFreeze) => `“${escapeMrkdwn(truncate(freeze.name, 80))}”`;
  return [
    ...freezes.open.map(
      (freeze) =>
        `:snowflake: ${name(freeze)} freezes *${where(freeze)}* now, until ${formatTime(freeze.endsAt)}`,
    ),
    ...freezes.next.map(
      (freeze) =>
        `:calendar: ${name(freeze)} freezes *${where(freeze)}* from ${formatTime(freeze.opensAt)} until ${formatTime(freeze.endsAt)}`,
    ),
  ];
}
