import type { Step } from './pipeline.js';

// A step as a plan shows it: what runs, never what it carries. Headers and query strings often hold tokens, and
// a plan goes to CI logs and Slack, so an http step shows its method and its URL without them.

export type StepOutline =
  | { readonly kind: 'run'; readonly command: string; readonly timeoutMs: number; readonly retries: number }
  | {
      readonly kind: 'http';
      readonly method: string;
      readonly url: string;
      readonly timeoutMs: number;
      readonly retries: number;
    };

export function outlineStep(step: Step): StepOutline {
  const { timeoutMs, retries } = step;
  if (step.kind === 'run') return { kind: 'run', command: step.command.join(' '), timeoutMs, retries };
  return { kind: 'http', method: step.method, url: withoutCredentials(step.url), timeoutMs, retries };
}

/**
 * The URL's scheme, host and path: no user, password, query or fragment. Templates (`$VERSION`) stay as written.
 * The user part ends at the last "@" before the path, as URL parsers read it: a password may hold an "@".
 */
export function withoutCredentials(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)(?:[^/?#]*@)?([^?#]*)/i.exec(url);
  return match ? `${match[1]}${match[2]}` : url.replace(/[?#].*$/, '');
}
