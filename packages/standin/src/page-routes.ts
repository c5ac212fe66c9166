// The page and its API, on the same server as the Web API stand-in:
//   GET  /                      the page          GET /standin/<file>     its scripts and styles
//   GET  /standin/state?user=U  what U sees       GET /standin/events     a `change` event stream
//   GET  /standin/files/<id>    an uploaded file
//   POST /standin/click · submit · close · command · home      what a person does (JSON bodies)
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { readJson, sendBytes, sendJson } from './http-io.js';
import { clickButton } from './interactions/click-button.js';
import { openHome } from './interactions/open-home.js';
import type { Outcome } from './interactions/outcome.js';
import { runSlashCommand } from './interactions/run-slash-command.js';
import { closeView, submitView } from './interactions/submit-view.js';
import { readPageAsset } from './page-assets.js';
import { ButtonClick, HomeOpened, SlashCommand, UserQuery, ViewClose, ViewSubmit } from './page-requests.js';
import { snapshot } from './snapshot.js';
import type { StandinContext } from './standin-context.js';

type Action<S extends z.ZodType> = {
  readonly schema: S;
  readonly run: (context: StandinContext, input: z.output<S>) => Promise<Outcome> | Outcome;
};

function action<S extends z.ZodType>(schema: S, run: Action<S>['run']): Action<S> {
  return { schema, run };
}

const ACTIONS: ReadonlyMap<string, Action<z.ZodType>> = new Map<string, Action<z.ZodType>>([
  ['click', action(ButtonClick, clickButton)],
  ['submit', action(ViewSubmit, submitView)],
  ['close', action(ViewClose, closeView)],
  ['command', action(SlashCommand, runSlashCommand)],
  ['home', action(HomeOpened, openHome)],
]);

export function createPageRoutes(context: () => StandinContext | undefined): RequestListener {
  return (request, response) => {
    const current = context();
    if (!current) {
      sendJson(response, 503, { error: 'starting' });
      return;
    }
    route(current, request, response).catch((error: unknown) => {
      sendJson(response, 500, { ok: false, error: error instanceof Error ? error.message : String(error) });
    });
  };
}

async function route(
  context: StandinContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const [, root, name, id] = url.pathname.split('/');
  if (request.method === 'POST' && root === 'standin' && name) return act(context, name, request, response);
  if (request.method !== 'GET') return sendJson(response, 405, { error: 'method not allowed' });
  if (url.pathname === '/' || url.pathname === '/index.html') return asset(response, 'index.html');
  if (url.pathname === '/favicon.ico') return void response.writeHead(204).end();
  if (root !== 'standin' || !name) return sendJson(response, 404, { error: 'not found' });
  if (name === 'state') return state(context, url, response);
  if (name === 'events') return context.live.subscribe(response);
  if (name === 'files' && id) return file(context, decodeURIComponent(id), response);
  return asset(response, name);
}

function state(context: StandinContext, url: URL, response: ServerResponse): void {
  const user = UserQuery.safeParse(url.searchParams.get('user') ?? context.options.users[0]?.id);
  if (user.success) sendJson(response, 200, snapshot(context, user.data));
  else sendJson(response, 400, { error: 'user must be a user id like U0DEMO' });
}

async function asset(response: ServerResponse, name: string): Promise<void> {
  const found = await readPageAsset(name);
  if (!found) return sendJson(response, 404, { error: 'not found' });
  sendBytes(response, found.contentType, found.body);
}

function file(context: StandinContext, id: string, response: ServerResponse): void {
  const stored = context.web.files().find((f) => f.id === id);
  if (!stored?.content) {
    sendJson(response, 404, { error: 'no such file' });
    return;
  }
  // Uploaded bytes are shown as images at most; a sandbox stops anything else from running.
  response.setHeader('content-security-policy', 'sandbox');
  sendBytes(response, contentTypeOf(stored.filename), stored.content);
}

function contentTypeOf(filename: string): string {
  const extension = filename.toLowerCase().split('.').at(-1);
  if (extension === 'png') return 'image/png';
  if (extension === 'jpg' || extension === 'jpeg') return 'image/jpeg';
  if (extension === 'gif') return 'image/gif';
  if (extension === 'svg') return 'image/svg+xml';
  return 'text/plain; charset=utf-8';
}

/**
 * A person's action. JSON bodies only, from this page only: another site open in the same browser cannot send
 * them without a CORS preflight, which this server never grants.
 */
async function act(
  context: StandinContext,
  name: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const handler = ACTIONS.get(name);
  if (!handler) return sendJson(response, 404, { ok: false, error: `no action ${name}` });
  if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
    return sendJson(response, 415, { ok: false, error: 'send JSON' });
  }
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${request.headers.host}`) {
    return sendJson(response, 403, { ok: false, error: 'only the stand-in page may act' });
  }
  const input = handler.schema.safeParse(await readJson(request));
  if (!input.success) return sendJson(response, 400, { ok: false, error: input.error.issues[0]?.message });
  const outcome = await handler.run(context, input.data);
  context.live.changed();
  sendJson(response, 200, outcome);
}
