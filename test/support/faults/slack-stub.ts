import type { ServerResponse } from 'node:http';
import { sendJson, startHttpServer } from '../http-server.js';

// A Slack Web API that accepts every call at once and records it, for tests about something other than Slack's
// rendering: bot processes always run with a bot token, and this keeps their deliveries quick and off slack.com.
// `holdNext(which)` leaves the next call that `which` picks unanswered, so a test knows a delivery is in flight.

export type SlackCall = {
  readonly method: string;
  readonly channel: string;
  readonly text: string;
  readonly threadTs?: string;
};

export type SlackStub = {
  /** What a bot gets as SLACK_API_URL. */
  readonly apiUrl: string;
  /** Every call so far, in arrival order (held ones included). */
  readonly calls: readonly SlackCall[];
  /** Holds the next call that `which` picks unanswered; resolves once one is held. */
  holdNext(which: (call: SlackCall) => boolean): Promise<void>;
  /** Answers the held calls whose clients are still there, and stops holding. */
  release(): void;
  close(): Promise<void>;
};

function argsOf(contentType: string, body: string): Record<string, unknown> {
  if (contentType.includes('json')) {
    try {
      return JSON.parse(body);
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(body));
}

export async function startSlackStub(): Promise<SlackStub> {
  let counter = 0;
  const calls: SlackCall[] = [];
  const held: ServerResponse[] = [];
  let holding: { which: (call: SlackCall) => boolean; onHeld: () => void } | undefined;

  function answer(response: ServerResponse): void {
    if (response.destroyed || response.writableEnded) return;
    counter += 1;
    sendJson(response, 200, {
      ok: true,
      channel: 'C0STUB',
      ts: `1700000000.${String(counter).padStart(6, '0')}`,
      user_id: 'U0BOT',
      bot_id: 'B0BOT',
      team_id: 'T0TEAM',
    });
  }

  const server = await startHttpServer((request, response) => {
    const method = request.url.replace(/^\/api\//, '').split('?')[0] ?? '';
    const args = argsOf(String(request.headers['content-type'] ?? ''), request.body);
    const call: SlackCall = {
      method,
      channel: String(args.channel ?? ''),
      text: String(args.text ?? ''),
      ...(args.thread_ts ? { threadTs: String(args.thread_ts) } : {}),
    };
    calls.push(call);
    if (holding?.which(call)) {
      const { onHeld } = holding;
      holding = undefined;
      held.push(response);
      onHeld();
      return;
    }
    answer(response);
  });

  return {
    apiUrl: `${server.url}/api/`,
    calls,
    holdNext: (which) =>
      new Promise<void>((resolve) => {
        holding = { which, onHeld: resolve };
      }),
    release() {
      holding = undefined;
      for (const response of held.splice(0)) answer(response);
    },
    close: () => server.close(),
  };
}
