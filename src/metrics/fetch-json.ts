import ms from 'ms';
import { describeFetchError, readBodyText, redact } from '../steps/http/index.js';

/** Larger answers are refused: a metric query should come back with one number. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export type JsonResponse =
  | { kind: 'response'; status: number; ok: boolean; json: unknown; isJson: boolean }
  | { kind: 'failed'; reason: string };

type FetchJsonOptions = { headers?: Readonly<Record<string, string>>; timeoutMs: number };

/** GETs a url and parses the body as JSON; network failures, timeouts and oversized bodies are `failed`. */
export async function fetchJson(
  url: string,
  { headers = {}, timeoutMs }: FetchJsonOptions,
): Promise<JsonResponse> {
  const secrets = Object.values(headers);
  if (!URL.canParse(url))
    return { kind: 'failed', reason: 'the url is not a valid URL once its $NAMEs are replaced' };
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, { headers: { accept: 'application/json', ...headers }, signal });
    const { text, truncated } = await readBodyText(response, MAX_BODY_BYTES);
    if (truncated) return { kind: 'failed', reason: `the response is larger than ${MAX_BODY_BYTES} bytes` };
    const parsed = parseJson(text);
    return { kind: 'response', status: response.status, ok: response.ok, ...parsed };
  } catch (error) {
    if (signal.aborted) return { kind: 'failed', reason: `no answer within ${ms(timeoutMs)}` };
    return { kind: 'failed', reason: redact(describeFetchError(error), secrets) };
  }
}

function parseJson(text: string): { json: unknown; isJson: boolean } {
  try {
    const json: unknown = JSON.parse(text);
    return { json, isJson: true };
  } catch {
    return { json: undefined, isJson: false };
  }
}
