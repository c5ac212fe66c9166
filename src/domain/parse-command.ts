// Slash-command text to a command, or a problem that names what is wrong. Pure, total: never throws.
// Grammar (CONTRACT.md, "Slack"):
//   /promote <service> <version> [to <environment>] [--force] [--dry-run]
//   /hold <service> [environment] [for <duration>] [reason…]      /unhold <service> [environment]
//   /rollback <service> [environment] [reason…]  /promotions [service]

import { parseDuration } from '../config/duration.js';

export type ParsedCommand =
  | {
      readonly name: 'promote';
      readonly service: string;
      readonly version: string;
      readonly to?: string;
      readonly force: boolean;
      /** `--dry-run`: answer with the plan and change nothing. */
      readonly dryRun?: true;
    }
  | {
      readonly name: 'hold';
      readonly service: string;
      readonly environment?: string;
      readonly reason: string;
      /** `for 2h`: the hold lifts itself after this long. */
      readonly forMs?: number;
    }
  | { readonly name: 'unhold'; readonly service: string; readonly environment?: string }
  | {
      readonly name: 'rollback';
      readonly service: string;
      readonly environment?: string;
      readonly reason?: string;
    }
  | { readonly name: 'promotions'; readonly service?: string };

export type ParseCommandResult =
  | { readonly ok: true; readonly command: ParsedCommand }
  | { readonly ok: false; readonly problem: string };

/** service name -> its environment names, in order. */
export type CommandCatalog = ReadonlyMap<string, readonly string[]>;

export const DEFAULT_HOLD_REASON = 'no reason given';
export const COMMAND_NAMES = ['promote', 'hold', 'unhold', 'rollback', 'promotions'] as const;

const VERSION = /^[A-Za-z0-9._+-]+$/;
const MAX_VERSION = 128;
const MAX_REASON = 500;
// `\s` covers tabs and Slack's non-breaking spaces; zero-width characters separate nothing visible either.
const SPACE = /[\s\u200b\u2060]+/u;
// Smart punctuation turns `--force` into `—force` or `–force`; `--dry-run` may also come as `--dryrun` or `--dry_run`.
const FORCE = /^(--|—|–)force$/i;
const DRY_RUN = /^(--|—|–)dry[-_]?run$/i;
const PROMOTE_OPTIONS = '--force, --dry-run';

export function parseCommand(command: string, text: string, catalog: CommandCatalog): ParseCommandResult {
  const name = String(command ?? '')
    .trim()
    .replace(/^\//, '')
    .toLowerCase();
  const words = decodeEntities(String(text ?? ''))
    .split(SPACE)
    .filter((word) => word !== '');
  switch (name) {
    case 'promote':
      return parsePromote(words, catalog);
    case 'hold':
    case 'rollback':
      return parseWithReason(name, words, catalog);
    case 'unhold':
      return parseUnhold(words, catalog);
    case 'promotions':
      return parsePromotions(words, catalog);
    default:
      return problem(
        `unknown command ${quote(`/${name}`)} (commands: ${COMMAND_NAMES.map((n) => `/${n}`).join(', ')})`,
      );
  }
}

function parsePromote(words: readonly string[], catalog: CommandCatalog): ParseCommandResult {
  const isOption = (word: string) => FORCE.test(word) || DRY_RUN.test(word);
  const options = words.filter((word) => word.startsWith('--') || isOption(word));
  const unknown = options.find((option) => !isOption(option));
  if (unknown) return problem(`unknown option ${quote(unknown)} (options: ${PROMOTE_OPTIONS})`);
  const [serviceWord, version, ...rest] = words.filter((word) => !options.includes(word));
  const service = findService(serviceWord, catalog);
  if (!service.ok) return service;
  if (version === undefined || (version.toLowerCase() === 'to' && rest.length > 0)) {
    return problem(`missing version: which version of ${service.name} should be promoted?`);
  }
  const bad = badVersion(version);
  if (bad) return problem(bad);
  const force = options.some((option) => FORCE.test(option));
  const dryRun = options.some((option) => DRY_RUN.test(option)) ? { dryRun: true as const } : {};
  const [keyword, target, ...extra] = rest;
  if (keyword === undefined) return ok({ name: 'promote', service: service.name, version, force, ...dryRun });
  if (keyword.toLowerCase() !== 'to') {
    const hint = findEnvironment(service, keyword).ok ? ` (write "to ${keyword}")` : '';
    return problem(`unexpected ${quote(rest.join(' '))} after the version${hint}`);
  }
  if (target === undefined) return problem(`missing environment after "to" (environments: ${service.list})`);
  const environment = findEnvironment(service, target);
  if (!environment.ok) return environment;
  if (extra.length > 0) return problem(`unexpected ${quote(extra.join(' '))} after the environment`);
  return ok({ name: 'promote', service: service.name, version, to: environment.name, force, ...dryRun });
}

function parseWithReason(
  name: 'hold' | 'rollback',
  words: readonly string[],
  catalog: CommandCatalog,
): ParseCommandResult {
  const [serviceWord, second, ...more] = words;
  const service = findService(serviceWord, catalog);
  if (!service.ok) return service;
  const environment = second === undefined ? undefined : findEnvironment(service, second);
  const afterEnvironment = environment?.ok ? more : words.slice(1);
  const lasting = name === 'hold' ? holdDuration(afterEnvironment) : { words: afterEnvironment };
  if ('problem' in lasting) return problem(lasting.problem);
  const reason = lasting.words.join(' ');
  if (reason.length > MAX_REASON)
    return problem(`the reason is too long (${reason.length} characters, at most ${MAX_REASON})`);
  const where = environment?.ok ? { environment: environment.name } : {};
  if (name === 'hold') {
    const forMs = lasting.forMs === undefined ? {} : { forMs: lasting.forMs };
    return ok({ name, service: service.name, ...where, ...forMs, reason: reason || DEFAULT_HOLD_REASON });
  }
  return ok({ name, service: service.name, ...where, ...(reason ? { reason } : {}) });
}

/** The most a hold may last by itself: longer ones are lifted by hand. */
export const MAX_HOLD_MS = 90 * 24 * 3600_000;

/** `for 2h reason…` at the start of a hold's words: the duration, and the words left for the reason. */
function holdDuration(
  words: readonly string[],
): { readonly words: readonly string[]; readonly forMs?: number } | { readonly problem: string } {
  const [first, second = '', ...rest] = words;
  // `for the launch` is a reason; `for 2h` (or a mistyped `for 2`, `for -1h`, `for ２h`) is a duration: taken as
  // a reason, a mistyped one would hold for ever.
  if (first?.toLowerCase() !== 'for' || !/^[-+.\p{Nd}]/u.test(second)) return { words };
  const duration = parseDuration(second);
  if (!duration.ok) return { problem: `the hold's duration ${duration.message}` };
  if (duration.milliseconds < 1000) return { problem: 'a hold lasts at least a second (`for 1s`)' };
  if (duration.milliseconds > MAX_HOLD_MS)
    return {
      problem: 'a hold lasts at most 90 days by itself (`for 90d`); leave `for` out to hold until /unhold',
    };
  return { words: rest, forMs: duration.milliseconds };
}

function parseUnhold(words: readonly string[], catalog: CommandCatalog): ParseCommandResult {
  const [serviceWord, environmentWord, ...extra] = words;
  const service = findService(serviceWord, catalog);
  if (!service.ok) return service;
  if (environmentWord === undefined) return ok({ name: 'unhold', service: service.name });
  const environment = findEnvironment(service, environmentWord);
  if (!environment.ok) return environment;
  if (extra.length > 0) return problem(`unexpected ${quote(extra.join(' '))} after the environment`);
  return ok({ name: 'unhold', service: service.name, environment: environment.name });
}

function parsePromotions(words: readonly string[], catalog: CommandCatalog): ParseCommandResult {
  const [serviceWord, ...extra] = words;
  if (serviceWord === undefined) return ok({ name: 'promotions' });
  const service = findService(serviceWord, catalog);
  if (!service.ok) return service;
  if (extra.length > 0) return problem(`unexpected ${quote(extra.join(' '))} after the service`);
  return ok({ name: 'promotions', service: service.name });
}

type FoundService = {
  readonly ok: true;
  readonly name: string;
  readonly environments: readonly string[];
  readonly list: string;
};

function findService(
  word: string | undefined,
  catalog: CommandCatalog,
): FoundService | { ok: false; problem: string } {
  // The usage reply under the problem lists the known services: they are not named twice.
  const known = [...catalog.keys()];
  if (word === undefined) return problem('missing service');
  const name = known.find((k) => k === word) ?? known.find((k) => k.toLowerCase() === word.toLowerCase());
  if (name === undefined) return problem(`unknown service ${quote(word)}`);
  const environments = catalog.get(name) ?? [];
  return { ok: true, name, environments, list: environments.join(', ') || 'none' };
}

function findEnvironment(
  service: FoundService,
  word: string,
): { ok: true; name: string } | { ok: false; problem: string } {
  const { environments } = service;
  const name =
    environments.find((e) => e === word) ?? environments.find((e) => e.toLowerCase() === word.toLowerCase());
  if (name === undefined)
    return problem(`${service.name} has no environment ${quote(word)} (environments: ${service.list})`);
  return { ok: true, name };
}

function badVersion(version: string): string | undefined {
  if (version.length > MAX_VERSION)
    return `the version is too long (${version.length} characters, at most ${MAX_VERSION})`;
  if (VERSION.test(version)) return undefined;
  const outside = [...new Set([...version].filter((c) => !VERSION.test(c)))].join(' ');
  return `version ${quote(version)} has characters outside [A-Za-z0-9._+-]: ${outside}`;
}

/** Slack sends `&`, `<` and `>` in command text as HTML entities. */
function decodeEntities(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

function quote(word: string): string {
  return JSON.stringify(word.length > 40 ? `${word.slice(0, 39)}…` : word);
}

function ok(command: ParsedCommand): ParseCommandResult {
  return { ok: true, command };
}

function problem(text: string): { ok: false; problem: string } {
  return { ok: false, problem: text };
}
