import { sendJson, startHttpServer, type TestHttpServer } from '../http-server.js';

export type SlackStub = TestHttpServer & {
  /** What a bot gets as SLACK_API_URL. */
  readonly apiUrl: string;
};

/**
 * A Slack Web API that accepts every call at once, for tests that are about something else: bot processes always
 * run with a bot token, and this keeps their notice deliveries quick and off the real slack.com.
 */
export async function startSlackStub(): Promise<SlackStub> {
  let counter = 0;
  const server = await startHttpServer((_request, response) => {
    counter += 1;
    sendJson(response, 200, {
      ok: true,
      channel: 'C0STUB',
      ts: `1700000000.${String(counter).padStart(6, '0')}`,
      user_id: 'U0BOT',
      bot_id: 'B0BOT',
      team_id: 'T0TEAM',
    });
  });
  return { ...server, apiUrl: `${server.url}/api/` };
}
