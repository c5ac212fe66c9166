import { escapeMrkdwn, inlineCode, truncate } from './text.js';

/** Each command's grammar, as the contract writes it (with the options the parser also accepts). */
export const USAGE: Readonly<Record<string, string>> = {
  '/promote': '/promote <service> <version> [to <environment>] [--force] [--dry-run]',
  '/hold': '/hold <service> [environment] [for <duration>] [reason…]',
  '/unhold': '/unhold <service> [environment]',
  '/rollback': '/rollback <service> [environment] [reason…]',
  '/promotions': '/promotions [service]',
};

/**
 * The ephemeral reply to a command that could not be parsed: the problem, the grammar and the known services.
 * Plain mrkdwn text (a `respond({ text })` payload); an unknown command lists every grammar.
 */
export function renderUsage(command: string, services: readonly string[], problem?: string): string {
  const name = command.startsWith('/') ? command : `/${command}`;
  const grammar = USAGE[name];
  const usage = grammar ? [inlineCode(grammar)] : Object.values(USAGE).map(inlineCode);
  const known = services.length > 0 ? services.map((s) => escapeMrkdwn(s)).join(', ') : 'none configured';
  return [
    ...(problem ? [`:warning: ${escapeMrkdwn(truncate(problem, 1000))}`] : []),
    `*Usage:* ${usage.join('\n')}`,
    `*Services:* ${known}`,
  ].join('\n');
}
