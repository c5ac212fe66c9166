// The HTTP face of the fake: node:http on 127.0.0.1 and a free port, routing /api/<method>, /response/<id>
// (response URLs) and /upload/<file id> (file upload URLs); anything else goes to `fallback` when there is one.
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleApiCall } from './handle-api-call.js';
import { handleResponseUrl } from './handle-response-url.js';
import { handleUpload } from './handle-upload.js';
import { type IncomingCall, type Reply, textReply } from './reply.js';
import type { Runtime } from './runtime.js';

export type Listening = { readonly port: number; close(): Promise<void> };

const WEB_API_ROOTS = new Set(['api', 'response', 'upload']);

export async function listen(runtime: Runtime, port: number, fallback?: RequestListener): Promise<Listening> {
  const server = createServer((request, response) => {
    const root = (request.url ?? '/').split(/[/?]/)[1] ?? '';
    if (fallback && !WEB_API_ROOTS.has(root)) {
      fallback(request, response);
      return;
    }
    serve(runtime, request, response).catch((error: unknown) => {
      write(response, textReply(500, `fake Slack failed: ${String(error)}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address: AddressInfo | string | null = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake Slack has no TCP address');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        runtime.stopTimers();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function serve(runtime: Runtime, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const body = await readBody(request);
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const call: IncomingCall = { path: url.pathname, query: url.searchParams, headers: request.headers, body };
  write(response, await route(runtime, call));
}

function route(runtime: Runtime, call: IncomingCall): Promise<Reply> | Reply {
  const [, root, id, ...rest] = call.path.split('/');
  if (!id || rest.length > 0) return textReply(404, 'not found');
  const name = decodeURIComponent(id);
  if (root === 'api') return handleApiCall(runtime, name, call);
  if (root === 'response') return handleResponseUrl(runtime, name, call);
  if (root === 'upload') return handleUpload(runtime, name, call);
  return textReply(404, 'not found');
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function write(response: ServerResponse, reply: Reply): void {
  if (response.destroyed || response.writableEnded) return;
  response.writeHead(reply.status, reply.headers);
  response.end(reply.body);
}
