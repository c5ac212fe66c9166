import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './redis-server.js';
import { waitFor } from './wait-for.js';

const run = promisify(execFile);

type Server = { readonly port: number; readonly child: ChildProcess };

async function startServer(dir: string, args: string[]): Promise<Server> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    [...args, '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''],
    {
      stdio: 'ignore',
    },
  );
  await waitFor(`redis-server on ${port}`, async () => (await cli(port, 'PING')).trim() === 'PONG', 10_000);
  return { port, child };
}

async function startSentinelProcess(dir: string, primaryPort: number): Promise<Server> {
  const port = await freePort();
  const file = join(dir, `sentinel-${port}.conf`);
  await writeFile(
    file,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `sentinel monitor mymaster 127.0.0.1 ${primaryPort} 2`,
      'sentinel down-after-milliseconds mymaster 1000',
      'sentinel failover-timeout mymaster 5000',
      'sentinel parallel-syncs mymaster 1',
    ].join('\n'),
  );
  const child = spawn('redis-server', [file, '--sentinel'], { stdio: 'ignore' });
  await waitFor(`sentinel on ${port}`, async () => (await cli(port, 'PING')).trim() === 'PONG', 10_000);
  return { port, child };
}

export async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args]);
  return stdout;
}

async function stopAll(servers: readonly Server[], dir: string): Promise<void> {
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          if (server.child.exitCode !== null) return resolve();
          server.child.once('exit', () => resolve());
          server.child.kill('SIGKILL');
        }),
    ),
  );
  await rm(dir, { recursive: true, force: true });
}

export type RedisCluster = { readonly nodes: string; stop(): Promise<void> };

/** Three masters joined with `redis-cli --cluster create`, on free ports. */
export async function startRedisCluster(): Promise<RedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'pb-cluster-'));
  const servers: Server[] = [];
  for (let i = 0; i < 3; i++) {
    servers.push(
      await startServer(dir, [
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${i}.conf`,
        '--appendonly',
        'no',
      ]),
    );
  }
  const addresses = servers.map((server) => `127.0.0.1:${server.port}`);
  await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
  await waitFor(
    'the cluster to be ok on every node',
    async () => {
      const states = await Promise.all(servers.map((server) => cli(server.port, 'CLUSTER', 'INFO')));
      return states.every((state) => state.includes('cluster_state:ok'));
    },
    20_000,
  );
  return { nodes: addresses.join(','), stop: () => stopAll(servers, dir) };
}

export type SentinelSetup = {
  readonly sentinels: string;
  /** Port of the server that is primary now, as the sentinels see it. */
  primaryPort(): Promise<number>;
  /** Asks the sentinels to fail over, and waits until another server is primary. */
  failover(): Promise<void>;
  stop(): Promise<void>;
};

/** A primary, one replica and three sentinels watching them as `mymaster`. */
export async function startSentinelSetup(): Promise<SentinelSetup> {
  const dir = await mkdtemp(join(tmpdir(), 'pb-sentinel-'));
  const primary = await startServer(dir, ['--appendonly', 'no']);
  const replica = await startServer(dir, [
    '--appendonly',
    'no',
    '--replicaof',
    '127.0.0.1',
    String(primary.port),
  ]);
  await waitFor(
    'the replica to sync',
    async () => (await cli(replica.port, 'INFO', 'replication')).includes('master_link_status:up'),
    20_000,
  );
  const sentinels = [
    await startSentinelProcess(dir, primary.port),
    await startSentinelProcess(dir, primary.port),
    await startSentinelProcess(dir, primary.port),
  ];
  const first = sentinels[0];
  if (!first) throw new Error('no sentinel started');
  await waitFor(
    'the sentinels to see each other and the replica',
    async () => {
      const info = await cli(first.port, 'SENTINEL', 'MASTER', 'mymaster');
      const lines = info.split('\n').map((line) => line.trim());
      const field = (name: string) => lines[lines.indexOf(name) + 1];
      return field('num-other-sentinels') === '2' && field('num-slaves') === '1';
    },
    30_000,
  );
  async function primaryPort(): Promise<number> {
    const reply = await cli(first?.port ?? 0, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster');
    return Number(reply.split('\n')[1]);
  }
  return {
    sentinels: sentinels.map((sentinel) => `127.0.0.1:${sentinel.port}`).join(','),
    primaryPort,
    async failover() {
      const before = await primaryPort();
      await cli(first.port, 'SENTINEL', 'FAILOVER', 'mymaster');
      await waitFor('another server to be primary', async () => (await primaryPort()) !== before, 30_000);
    },
    stop: () => stopAll([primary, replica, ...sentinels], dir),
  };
}
