import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { type FakePrometheus, startFakePrometheus } from '../support/fake-prometheus.js';
import { startTestBot, type TestBot } from '../support/test-bot.js';
import { waitFor } from '../support/wait-for.js';
import { createWorkspace, testPipeline, type Workspace } from '../support/workspace.js';

// Socket Mode: with SLACK_APP_TOKEN the bot opens a websocket (apps.connections.open) instead of receiving HTTP,
// acks each envelope on it, and answers slash commands through their response_url like in HTTP mode.

type Received = { envelope_id?: string };

let prometheus: FakePrometheus;
let workspace: Workspace;
let bot: TestBot;
let slack: Server;
let sockets: WebSocketServer;
let slackUrl: string;
const acks: Received[] = [];
const responses: Array<{ text?: string; response_type?: string }> = [];

beforeAll(async () => {
  sockets = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(sockets, 'listening');
  const address = sockets.address();
  const wsPort = typeof address === 'object' && address ? address.port : 0;
  sockets.on('connection', (socket) => {
    socket.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0BOT' } }));
    socket.on('message', (data) => acks.push(JSON.parse(data.toString()) as Received));
  });
  slack = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/response')) {
        responses.push(JSON.parse(body));
        res.end('{"ok":true}');
      } else if (req.url?.endsWith('/apps.connections.open')) {
        const authorized = req.headers.authorization === 'Bearer xapp-1-test';
        res.end(
          JSON.stringify(
            authorized
              ? { ok: true, url: `ws://127.0.0.1:${wsPort}/link` }
              : { ok: false, error: 'invalid_auth' },
          ),
        );
      } else if (req.url?.endsWith('/auth.test')) {
        res.end(
          JSON.stringify({
            ok: true,
            user_id: 'UBOT',
            bot_id: 'BBOT',
            team_id: 'T0TEAM',
            user: 'promotion-bot',
          }),
        );
      } else {
        res.end('{"ok":true}');
      }
    });
  });
  slack.listen(0, '127.0.0.1');
  await once(slack, 'listening');
  const slackAddress = slack.address();
  slackUrl = `http://127.0.0.1:${typeof slackAddress === 'object' && slackAddress ? slackAddress.port : 0}`;

  prometheus = await startFakePrometheus();
  workspace = await createWorkspace();
  const pipelineFile = await workspace.writePipeline(testPipeline({ prometheusUrl: prometheus.url }));
  bot = await startTestBot({
    pipelineFile,
    role: 'web',
    env: {
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_APP_TOKEN: 'xapp-1-test',
      SLACK_API_URL: `${slackUrl}/api/`,
    },
  });
});

afterAll(async () => {
  await bot?.shutdown();
  for (const client of sockets?.clients ?? []) client.terminate();
  sockets?.close();
  slack?.close();
  await prometheus?.close();
  await workspace?.remove();
});

describe('Socket Mode', () => {
  it('connects over a websocket, acks a slash command envelope and answers through its response_url', async () => {
    await waitFor('the bot to connect', () => sockets.clients.size > 0);
    const [socket] = [...sockets.clients];
    socket?.send(
      JSON.stringify({
        envelope_id: 'env-1',
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: {
          token: 'legacy',
          team_id: 'T0TEAM',
          api_app_id: 'A0BOT',
          channel_id: 'C0DEPLOYS',
          user_id: 'U0ALICE',
          command: '/promotions',
          text: 'nope',
          response_url: `${slackUrl}/response/1`,
          trigger_id: 'trigger-1',
        },
      }),
    );

    await waitFor('the envelope to be acknowledged', () => acks.some((ack) => ack.envelope_id === 'env-1'));
    const reply = await waitFor('the answer', () => responses[0]);
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain('checkout');
  });
});
