import type { RequestListener } from 'node:http';
import { App, HTTPReceiver } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import pRetry from 'p-retry';
import { describeErrorForLog } from '../log-error.js';
import type { Logger } from '../logger.js';
import { toBoltLogger } from './bolt-logger.js';
import { observeInstalledWorkspace } from './installed-workspace.js';
import { registerActions } from './listeners/actions.js';
import { registerCommands } from './listeners/commands.js';
import { registerEvents } from './listeners/events.js';
import { registerViews } from './listeners/views.js';
import type { SlackDeps } from './slack-deps.js';
import { refuseForeignWorkspaces } from './workspace-guard.js';

export type SlackAppOptions = {
  readonly botToken: string;
  /** HTTP mode: the HTTP server's guard verifies every request with it before Bolt sees it; unused in Socket Mode. */
  readonly signingSecret?: string;
  /** Socket Mode instead of HTTP when set. */
  readonly appToken?: string;
  readonly apiUrl: string;
  readonly log: Logger;
  /** Retries of one Web API call; the delivery queue retries on top of this. */
  readonly retries?: number;
};

export type SlackApp = {
  readonly client: WebClient;
  /** Mounted at POST /slack/events on the shared HTTP server, behind its guard (HTTP mode only): it does not verify. */
  readonly requestListener?: RequestListener;
  start(): Promise<void>;
  stop(): Promise<void>;
};

/** Bolt, with our listeners. Receivers only carry transport; the listeners call the engine. */
export function createSlackApp(options: SlackAppOptions, deps: SlackDeps): SlackApp {
  const logger = toBoltLogger(options.log);
  const clientOptions = {
    slackApiUrl: options.apiUrl,
    retryConfig: { retries: options.retries ?? 3, factor: 2, minTimeout: 200, maxTimeout: 5000 },
    logger,
  };
  // auth.test runs in start(), retried: in the constructor a failed one is an unhandled rejection that ends the process.
  const base = { token: options.botToken, logger, clientOptions, deferInitialization: true };
  // The HTTP server's guard (src/http/slack-request-guard.ts) has read and verified every request it hands this
  // receiver, with a tighter clock-skew check than Bolt's: verifying the same signature again would only cost.
  const receiver =
    options.appToken === undefined
      ? new HTTPReceiver({
          signingSecret: options.signingSecret ?? '',
          signatureVerification: false,
          endpoints: '/slack/events',
          logger,
        })
      : undefined;
  const app = receiver
    ? new App({ ...base, receiver })
    : new App({
        ...base,
        appToken: options.appToken ?? '',
        socketMode: true,
        // apps.connections.open goes to the same Web API as everything else (a proxy, or a stand-in in tests).
        installerOptions: { clientOptions: { slackApiUrl: options.apiUrl } },
      });
  app.error(async (error) => {
    options.log.error({ err: error }, 'slack listener failed');
  });
  // Before every listener: a click or command from another workspace or org never reaches the engine.
  app.use(refuseForeignWorkspaces(observeInstalledWorkspace(app.client), options.log));
  const stopped = new AbortController();
  let initialized: Promise<void> = new Promise(() => undefined);
  registerCommands(app, deps);
  registerActions(app, deps);
  registerViews(app, deps);
  registerEvents(app, deps);

  return {
    client: app.client,
    ...(receiver ? { requestListener: whenInitialized(receiver.requestListener, () => initialized) } : {}),
    async start() {
      // In the background: the bot serves, runs steps and shuts down while Slack is unreachable.
      initialized = initializeWithRetries(app, options.log, stopped.signal).then(async () => {
        if (stopped.signal.aborted) return;
        options.log.info('slack connected');
        if (!receiver) await app.start();
      });
      initialized.catch((error: unknown) => options.log.error({ err: error }, 'slack did not start'));
    },
    async stop() {
      stopped.abort();
      if (!receiver) await app.stop().catch(() => undefined);
    },
  };
}

/** How long a Slack request waits for auth.test to have answered, inside Slack's 3 s. */
const INITIALIZED_WAIT_MS = 2_000;

/** Hands Slack's requests to Bolt once it is initialized; before that (Slack unreachable at start) 503. */
function whenInitialized(listener: RequestListener, initialized: () => Promise<void>): RequestListener {
  // Once it is, every request goes straight to Bolt: no timer and no promise per request.
  let ready = false;
  return (req, res) => {
    if (ready) {
      listener(req, res);
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), INITIALIZED_WAIT_MS);
      initialized().then(
        () => {
          ready = true;
          resolve(true);
        },
        () => resolve(false),
      );
    });
    void waited.then((connected) => {
      clearTimeout(timer);
      if (connected) listener(req, res);
      else
        res
          .writeHead(503, { 'content-type': 'application/json' })
          .end('{"error":"not connected to Slack yet"}');
    });
  };
}

/** Until Slack answers auth.test (unreachable, or down for a while), the bot keeps trying, saying only why. */
async function initializeWithRetries(app: App, log: Logger, stopped: AbortSignal): Promise<void> {
  await pRetry(
    async () => {
      if (stopped.aborted) throw new pRetry.AbortError('stopped');
      await app.init();
    },
    {
      forever: true,
      factor: 2,
      minTimeout: 500,
      maxTimeout: 30_000,
      onFailedAttempt: (error) => {
        const { code, slackError } = describeErrorForLog(error);
        log.warn(
          { attempt: error.attemptNumber, code: slackError ?? code },
          'slack auth.test failed; retrying',
        );
      },
    },
  ).catch((error: unknown) => {
    if (!stopped.aborted) throw error;
  });
}
