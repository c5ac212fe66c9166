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

const SECRET_SHAPES: readonly RegExp[] = [
  /\bxox[abposr]-[A-Za-z0-9-]+/g,
  /\bxapp-[A-Za-z0-9-]+/g,
  /\bBearer\s+\S+/gi,
  /\b(rediss?:\/\/)[^@\s/]*@/g,
  /https:\/\/hooks\.slack\.com\/\S+/g,
];

/** Masks tokens, bearer values, passwords in Redis URLs and Slack response URLs. */
export function maskSecrets(text: string): string {
  return SECRET_SHAPES.reduce(
    (masked, shape) =>
      masked.replace(shape, (_match, prefix?: string) =>
        typeof prefix === 'string' && prefix.startsWith('redis') ? `${prefix}[redacted]@` : '[redacted]',
      ),
    text,
  );
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
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
