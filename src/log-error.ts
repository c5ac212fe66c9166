// How an error reaches a log line: its name, code, status and message, never the whole object. Client errors carry
// their request (the Web API client's axios config holds `Authorization: Bearer xoxb-…`; ioredis's AUTH error holds
// the password in `command.args`), so nothing but these fields is kept, and secret-shaped text in them is masked.

export type LoggedError = {
  readonly type: string;
  readonly message: string;
  readonly code?: string;
  readonly status?: number;
  /** Slack's own error code (`channel_not_found`) when the Web API answered with one. */
  readonly slackError?: string;
};

/** Secret-shaped text and what it becomes: the scheme or parameter name stays, so the line still says what it was. */
const SECRET_SHAPES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bxox[abposr]-[A-Za-z0-9-]+/g, '[redacted]'],
  [/\bxapp-[A-Za-z0-9-]+/g, '[redacted]'],
  [/\bBearer\s+[^\s"',]+/gi, 'Bearer [redacted]'],
  [/\b(rediss?:\/\/)[^@\s/]*@/g, '$1[redacted]@'],
  [/https:\/\/hooks\.slack\.com\/[^\s"']+/g, '[redacted]'],
  // Socket Mode's websocket URL: its ticket opens the app's connection.
  [/([?&]ticket=)[^&\s"']+/g, '$1[redacted]'],
];

/** Masks tokens, bearer values, passwords in Redis URLs, Slack response URLs and Socket Mode tickets. */
export function maskSecrets(text: string): string {
  return SECRET_SHAPES.reduce((masked, [shape, replacement]) => masked.replace(shape, replacement), text);
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? Reflect.get(value, name) : undefined;
}

/** The pino `err` serializer. */
export function describeErrorForLog(error: unknown): LoggedError {
  if (typeof error !== 'object' || error === null)
    return { type: typeof error, message: maskSecrets(String(error)) };
  const code = field(error, 'code');
  const status = field(error, 'statusCode') ?? field(error, 'status');
  const slackError = field(field(error, 'data'), 'error');
  const name = field(error, 'name');
  return {
    type: typeof name === 'string' ? name : 'Error',
    message: maskSecrets(String(field(error, 'message') ?? '')),
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
    ...(typeof status === 'number' ? { status } : {}),
    ...(typeof slackError === 'string' ? { slackError } : {}),
  };
}
