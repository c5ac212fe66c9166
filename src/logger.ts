import { pino } from 'pino';
import { describeErrorForLog } from './log-error.js';

export type Logger = Pick<pino.Logger, 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'child'>;

/** Paths that can carry secrets: they never reach a log line, whatever logs them. */
export const REDACTED_PATHS = [
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'req.headers["x-slack-signature"]',
  'slackBotToken',
  'slackSigningSecret',
  'slackAppToken',
  'promotionApiToken',
  '*.slackBotToken',
  '*.slackSigningSecret',
  '*.slackAppToken',
  '*.promotionApiToken',
];

export function createLogger(options: {
  level: string;
  pretty?: boolean;
  destination?: pino.DestinationStream;
}): pino.Logger {
  const base = {
    level: options.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: describeErrorForLog },
    base: { app: 'promotion-bot' },
  };
  if (options.destination) return pino(base, options.destination);
  if (options.pretty)
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true } } });
  return pino(base);
}
