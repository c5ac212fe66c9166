// fetch (undici) reports network failures as `TypeError: fetch failed` with the reason in `cause`.

/** One line saying why a request failed, e.g. `connect ECONNREFUSED 127.0.0.1:9090`. */
export function describeFetchError(error: unknown): string {
  const messages: string[] = [];
  let current: unknown = error;
  while (current instanceof Error && messages.length < 4) {
    const message = current instanceof AggregateError ? aggregateMessage(current) : current.message;
    if (message !== '' && message !== 'fetch failed') messages.push(message);
    current = current.cause;
  }
  if (messages.length === 0) return 'request failed';
  return `request failed: ${messages.join(': ')}`;
}

function aggregateMessage(error: AggregateError): string {
  const inner = error.errors.map((each: unknown) => (each instanceof Error ? each.message : String(each)));
  return [error.message, ...new Set(inner)].filter((message) => message !== '').join('; ');
}

/** Replaces each secret (a request header value, say) in `text` with `[redacted]`. */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets
    .filter((secret) => secret.length >= 4)
    .reduce((redacted, secret) => redacted.split(secret).join('[redacted]'), text);
}
