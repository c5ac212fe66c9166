// Counts the commands clients send to Redis while some work runs, through MONITOR: each is a round trip, except
// that a MULTI … EXEC goes out as one. Commands a Lua script runs inside Redis are not sent, so not counted.
// MONITOR is read from a plain socket: ioredis' monitor mode takes a busy server's first lines for replies it did
// not ask for ("Command queue state error").
import { connect, type Socket } from 'node:net';

export type RoundTrips = {
  readonly total: number;
  /** By command (EVALSHA counted apart from the rest), most first. */
  readonly byCommand: ReadonlyArray<readonly [string, number]>;
};

/** One MONITOR line: `+1700000000.123456 [0 127.0.0.1:5000] "get" "key"`, or `[0 lua]` inside a script. */
const LINE = /^\+\d+\.\d+ \[\d+ ([^\]]+)\] (.*)$/;
const QUOTED = /"((?:[^"\\]|\\.)*)"/g;

/**
 * Round trips sent while `work` runs. `counts` (given the command's arguments) leaves out commands that belong to
 * other work going on at the same time, e.g. a periodic sweep over other services.
 */
export async function countRoundTrips(
  redisUrl: string,
  work: () => Promise<void>,
  counts: (args: readonly string[]) => boolean = () => true,
): Promise<RoundTrips> {
  const { hostname, port } = new URL(redisUrl);
  const socket = connect(Number(port), hostname);
  const byCommand = new Map<string, number>();
  let inTransaction = false;
  // After the work, an ECHO of this from another connection: once MONITOR shows it, it has shown all before it.
  const marker = `round-trips-end-${process.pid}-${Date.now()}`;
  let markerSeen: () => void = () => undefined;
  const seen = new Promise<void>((resolve) => {
    markerSeen = resolve;
  });
  const count = (line: string) => {
    if (line.includes(marker)) return markerSeen();
    const found = LINE.exec(line);
    if (!found || found[1] === 'lua') return;
    const args = [...(found[2] ?? '').matchAll(QUOTED)].map((match) => match[1] ?? '');
    const command = (args[0] ?? '').toLowerCase();
    if (!counts(args)) return;
    if (inTransaction) {
      if (command === 'exec' || command === 'discard') inTransaction = false;
      return;
    }
    if (command === 'multi') inTransaction = true;
    byCommand.set(command, (byCommand.get(command) ?? 0) + 1);
  };
  try {
    await monitoring(socket, count);
    await work();
    const echo = connect(Number(port), hostname);
    echo.on('error', () => undefined);
    echo.end(`ECHO ${marker}\r\n`);
    await seen;
  } finally {
    socket.destroy();
  }
  const sorted = [...byCommand].sort((a, b) => b[1] - a[1]);
  return { total: sorted.reduce((sum, [, n]) => sum + n, 0), byCommand: sorted };
}

/** Sends MONITOR and resolves once Redis said OK; every line after that goes to `onLine`. */
function monitoring(socket: Socket, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let on = false;
    socket.once('error', reject);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let end = buffered.indexOf('\r\n');
      while (end >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (on) onLine(line);
        else if (line === '+OK') {
          on = true;
          resolve();
        } else reject(new Error(`MONITOR: ${line}`));
        end = buffered.indexOf('\r\n');
      }
    });
    socket.write('MONITOR\r\n');
  });
}

export function formatRoundTrips(trips: RoundTrips, top = 6): string {
  return trips.byCommand
    .slice(0, top)
    .map(([command, n]) => `${command} ${n}`)
    .join(', ');
}
