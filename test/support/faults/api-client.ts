import { API_TOKEN } from '../test-bot.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read JSON bodies field by field and assert on them
export type ApiResponse = { readonly status: number; readonly body: any };

export type Api = (method: string, path: string, body?: unknown) => Promise<ApiResponse>;

/** The HTTP API of a bot running in another process, with the test token; every request gives up after 5 s. */
export function apiClient(baseUrl: string): Api {
  return async (method, path, body) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${API_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(5000),
    });
    const text = await response.text();
    try {
      return { status: response.status, body: JSON.parse(text) };
    } catch {
      return { status: response.status, body: text };
    }
  };
}

/** GET /readyz's status code, or `no answer` when it does not answer within `timeoutMs`. */
export async function readiness(baseUrl: string, timeoutMs = 3000): Promise<number | 'no answer'> {
  try {
    const response = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.text();
    return response.status;
  } catch {
    return 'no answer';
  }
}
