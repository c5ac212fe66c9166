// Server-sent events for the page: one `change` event (throttled) whenever the bot calls the Web API or the page
// changes something itself, so the page fetches the new state instead of polling.
import type { ServerResponse } from 'node:http';

const THROTTLE_MS = 50;
const HEARTBEAT_MS = 15_000;

export type LiveUpdates = {
  /** Keeps `response` open as an event stream until the page goes away. */
  subscribe(response: ServerResponse): void;
  changed(): void;
  close(): void;
};

export function createLiveUpdates(): LiveUpdates {
  const clients = new Set<ServerResponse>();
  let version = 0;
  let pending: NodeJS.Timeout | undefined;
  const heartbeat = setInterval(() => broadcast(': ping\n\n'), HEARTBEAT_MS);
  heartbeat.unref();

  function broadcast(text: string): void {
    for (const client of clients) client.write(text);
  }

  return {
    subscribe(response) {
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      response.write(`retry: 1000\nevent: change\ndata: ${version}\n\n`);
      clients.add(response);
      response.on('close', () => clients.delete(response));
    },
    changed() {
      version += 1;
      if (pending) return;
      pending = setTimeout(() => {
        pending = undefined;
        broadcast(`event: change\ndata: ${version}\n\n`);
      }, THROTTLE_MS);
    },
    close() {
      clearInterval(heartbeat);
      if (pending) clearTimeout(pending);
      for (const client of clients) client.end();
      clients.clear();
    },
  };
}
