import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import { describeErrorForLog, maskSecrets } from '../log-error.js';
import type { Logger } from '../logger.js';

/** One argument of a Bolt, Web API or Socket Mode log call, as text that carries no secret. */
function toText(arg: unknown): string {
  if (typeof arg === 'string') return maskSecrets(arg);
  // A client error's JSON is its request (`toJSON()` of an axios error holds `Authorization: Bearer xoxb-…`).
  if (arg instanceof Error) return JSON.stringify(describeErrorForLog(arg));
  try {
    return maskSecrets(JSON.stringify(arg) ?? String(arg));
  } catch {
    return '[unserializable]'; // a cycle: nothing we would want in a line anyway
  }
}

/**
 * Bolt, the Web API client and Socket Mode log through our pino root, so their lines are structured and carry no
 * secrets: at debug level they print request URLs, results and whole Socket Mode payloads (with their response_url).
 */
export function toBoltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'bolt' });
  const line = (args: unknown[]) => args.map(toText).join(' ');
  // Bolt and the Web API client call debug several times per request, with whole payloads: a line pino would
  // drop is not built (serialised and masked) at all.
  const at =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      if (child.isLevelEnabled(method)) child[method](line(args));
    };
  let level: LogLevel = LogLevel.INFO;
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
