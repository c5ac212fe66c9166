// One JSON POST to a URL Slack gave us (an interaction's response URL), on kept-alive connections. Lighter than
// fetch, whose web streams, abort signals and headers objects cost more CPU than the reply itself on a bot that
// answers a click or a command with each: this is on the path of every private reply.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export type PostAnswer = { readonly status: number; readonly text: string };

// An idle connection is closed before the server would close it: at its `Keep-Alive: timeout` hint less a second
// (Node reads the hint only when the agent has a timeout of its own), and after 4 s at most.
const KEEP_ALIVE = { keepAlive: true, timeout: 4_000 };
const AGENTS = { http: new HttpAgent(KEEP_ALIVE), https: new HttpsAgent(KEEP_ALIVE) };
/** Slack's answers are `ok` or a short JSON error; anything longer is cut here, unread. */
const MAX_ANSWER_BYTES = 64 * 1024;

/** The status and body text of the answer; rejects on a network error or when `timeoutMs` passes first. */
export async function postJson(url: string, body: unknown, timeoutMs: number): Promise<PostAnswer> {
  const target = new URL(url);
  if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new Error('not an http(s) URL');
  const payload = Buffer.from(JSON.stringify(body));
  try {
    return await post(target, payload, timeoutMs);
  } catch (error) {
    // A kept-alive connection the server closed as it was reused never carried the request: Node's documented
    // remedy is to send it once more, on a new connection.
    if (!isStaleConnection(error)) throw error;
    return post(target, payload, timeoutMs);
  }
}

type StaleConnectionError = Error & { reusedSocket: true };

function isStaleConnection(error: unknown): error is StaleConnectionError {
  return error instanceof Error && 'reusedSocket' in error && error.reusedSocket === true;
}

function post(target: URL, payload: Buffer, timeoutMs: number): Promise<PostAnswer> {
  const secure = target.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const request = (secure ? httpsRequest : httpRequest)(
      target,
      {
        method: 'POST',
        agent: secure ? AGENTS.https : AGENTS.http,
        headers: { 'content-type': 'application/json', 'content-length': payload.length },
      },
      (response) => readAnswer(response).then(resolve, reject),
    );
    const timer = setTimeout(() => request.destroy(new Error('timed out')), timeoutMs);
    request.once('close', () => clearTimeout(timer));
    request.on('error', (error: NodeJS.ErrnoException) => {
      const stale = request.reusedSocket && error.code === 'ECONNRESET';
      reject(stale ? Object.assign(error, { reusedSocket: true }) : error);
    });
    request.end(payload);
  });
}

function readAnswer(response: IncomingMessage): Promise<PostAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
    });
    response.once('end', () =>
      resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
    );
    response.once('error', reject);
  });
}
