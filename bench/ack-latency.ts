// 1. Ack latency: how long Slack waits for the HTTP answer to a signed slash command or button click, and the CPU
// each costs, from the real bot (its own process, `promotion-bot start`) and from a bare Bolt app that acks and
// makes the same kind of reply on the response_url (its own process too), at 1, 10 and 100 concurrent requests.
// The fake Slack runs in a third process, so the load generator is alone.
import { performance } from 'node:perf_hooks';
import { startHttpServer } from '../test/support/http-server.js';
import { freePort } from '../test/support/redis-server.js';
import { nowTs, sendBlockAction, sendSlashCommand } from '../test/support/slack-requests.js';
import { API_TOKEN, nextDigest } from '../test/support/test-bot.js';
import { waitFor } from '../test/support/wait-for.js';
import { createWorkspace } from '../test/support/workspace.js';
import { publishOverHttp } from './bot.js';
import { benchSlackEnv, cpuMs, SIGNING_SECRET, startBotProcess } from './bot-process.js';
import { type Script, spawnScript } from './children.js';
import type { BenchContext } from './context.js';
import { closedLoop } from './load.js';
import { APPROVER, noopPipeline } from './pipelines.js';
import type { BenchmarkResult, Row } from './report.js';
import { percentile, round } from './stats.js';

const LEVELS = [1, 10, 100] as const;
/** Requests per round; each measure pools ROUNDS rounds, the bot's and the bare app's interleaved. */
const COUNT: Record<(typeof LEVELS)[number], number> = { 1: 150, 10: 150, 100: 400 };
const ROUNDS = 4;
const WARMUP = 150;
const RATIO_TARGET = 1.5;
/** "Far below Slack's 3 s": a third of it at most. */
const ABSOLUTE_TARGET_MS = 1000;
const RUN_DEADLINE_MS = 30_000;

type Kind = 'slash' | 'click';
type Target = 'bot' | 'bare';
const TARGETS: readonly Target[] = ['bare', 'bot'];
const TARGET_LABEL: Record<Target, string> = { bot: 'the bot', bare: 'the bare app' };
const KIND_LABEL: Record<Kind, string> = {
  slash: '`/promotions` slash command',
  click: '`promotion.approve` click, not at the gate (ephemeral refusal)',
};

export async function ackLatency(ctx: BenchContext): Promise<BenchmarkResult> {
  const started = performance.now();
  const workspace = await createWorkspace();
  const steps = await startHttpServer((_request, response) => {
    response.end('ok');
  });
  const fake = spawnScript('bench/fake-slack-process.ts', {});
  let bare: Script | undefined;
  let bot: Awaited<ReturnType<typeof startBotProcess>> | undefined;
  try {
    const slack = JSON.parse(await fake.ready) as { apiUrl: string; url: string; statsUrl: string };
    const file = await workspace.writePipeline(
      noopPipeline({ services: ['checkout'], stepUrl: steps.url, firstPromote: 'manual', tests: true }),
    );
    bot = await startBotProcess(
      {
        REDIS_URL: ctx.redisUrl,
        REDIS_PREFIX: 'bench-ack',
        PIPELINE_FILE: file,
        SLACK_API_URL: slack.apiUrl,
      },
      { nodeArgs: profiling('bot') },
    );
    const botUrl = bot.url;
    // Three versions: the older two are superseded, the newest waits after development (`promote: manual`).
    let parked = '';
    for (const version of ['1.0.0', '1.0.1', '1.0.2'])
      parked = await publishOverHttp(botUrl, { service: 'checkout', version, digest: nextDigest() });
    await waitFor('the newest version to wait after development', async () => {
      const response = await fetch(`${botUrl}/api/promotions/${parked}`, {
        headers: { authorization: `Bearer ${API_TOKEN}` },
      });
      return ((await response.json()) as { status?: string }).status === 'waiting';
    });

    const barePort = await freePort();
    bare = spawnScript(
      'bench/bare-bolt.ts',
      {
        PORT: String(barePort),
        ...benchSlackEnv(slack.apiUrl),
      },
      profiling('bare'),
    );
    await bare.ready;

    const pids = { bot: bot.pid, bare: bare.child.pid ?? 0 };
    const targets = {
      bot: `${botUrl}/slack/events`,
      bare: `http://127.0.0.1:${barePort}/slack/events`,
    } as const;
    // Each target's response URLs carry its name, so the fake counts whose replies arrived.
    let responseCounter = 0;
    const responseUrl = (target: Target) => `${slack.url}/response/${target}-${++responseCounter}`;
    const send = (kind: Kind, target: Target) => async () => {
      const url = targets[target];
      const response =
        kind === 'slash'
          ? await sendSlashCommand(url, SIGNING_SECRET, {
              command: '/promotions',
              userId: 'U0ALICE',
              channelId: 'C0DEPLOYS',
              responseUrl: responseUrl(target),
            })
          : await sendBlockAction(url, SIGNING_SECRET, {
              actionId: 'promotion.approve',
              value: parked,
              userId: APPROVER,
              channelId: 'C0DEPLOYS',
              messageTs: nowTs(),
              responseUrl: responseUrl(target),
            });
      return response.status;
    };

    const kinds: Kind[] = ['slash', 'click'];
    const sent: Record<Target, number> = { bot: 0, bare: 0 };
    for (const kind of kinds)
      for (const target of TARGETS) {
        const warm = await closedLoop(send(kind, target), {
          concurrency: 10,
          count: WARMUP,
          deadlineMs: 20_000,
        });
        sent[target] += warm.latenciesMs.length;
      }
    const rows: Row[] = [];
    for (const level of LEVELS)
      for (const kind of kinds) {
        const pooled: Record<Target, Pooled> = {
          bot: { latenciesMs: [], failures: 0, cpuMs: 0 },
          bare: { latenciesMs: [], failures: 0, cpuMs: 0 },
        };
        for (let round = 0; round < ROUNDS; round++)
          // Alternate which goes first, so neither always runs on a machine still busy with the other.
          for (const target of round % 2 === 0 ? TARGETS : [...TARGETS].reverse()) {
            const cpuBefore = await cpuMs(pids[target]);
            const run = await closedLoop(send(kind, target), {
              concurrency: level,
              count: COUNT[level],
              deadlineMs: RUN_DEADLINE_MS,
            });
            // The pause lets each side finish the replies it owes before the other side's round starts.
            await new Promise((resolve) => setTimeout(resolve, 300));
            pooled[target].cpuMs += (await cpuMs(pids[target])) - cpuBefore;
            pooled[target].latenciesMs.push(...run.latenciesMs);
            pooled[target].failures += run.failures;
            sent[target] += run.latenciesMs.length;
          }
        rows.push(rowOf(kind, level, pooled.bot, pooled.bare));
      }

    const answered = await answeredRequests(slack.statsUrl, sent);
    for (const target of TARGETS)
      rows.push({
        measure: `requests ${TARGET_LABEL[target]} answered (ephemeral reply on the response_url)`,
        result: `${answered[target]} of ${sent[target]}`,
        target: 'all',
        pass: answered[target] >= sent[target],
      });
    return {
      name: '1. Ack latency',
      rows,
      notes: [
        'Signed requests (test/support/slack-requests.ts) to POST /slack/events; latency is request sent to response read, measured by a closed-loop client with N callers in the benchmark process.',
        `Bot: \`promotion-bot start --role all\` (startBot via the CLI, through tsx) as its own process, LOG_LEVEL=info, SLACK_API_URL at the fake Slack; \`/promotions\` lists the service's promotions from Redis and replies on the response_url, the click runs the approval check (the promotion waits after development) and replies with an ephemeral refusal. The bot posts its replies on kept-alive connections (src/slack/post-json.ts); Bolt's \`respond()\` in the baseline opens one per reply.`,
        "Baseline: a bare Bolt `App` with `HTTPReceiver` (bench/bare-bolt.ts), its own process, same signing secret and fake, whose listeners ack and then reply the way the bot does, with `respond()` on the response_url: the slash command an ephemeral list of three promotions (a section of three lines and a context, about 700 bytes of JSON like the bot's), the click a one-line ephemeral refusal (about 150 bytes). It reads no state and decides nothing, so what the bot spends beyond it is its own work: the Redis reads, the approval check, rendering, logging. Both sides' replies are counted (the last rows).",
        `Samples per measure: ${ROUNDS} rounds of ${LEVELS.map((level) => `${COUNT[level]} at ${level}`).join(', ')} concurrent, pooled; the bot's and the bare app's rounds interleave and alternate which goes first; ${WARMUP} warm-up requests per target and kind before any round. At N concurrent every caller starts at once, so a round begins with a burst of N requests on new connections.`,
        `Target: bot p99 ≤ ${RATIO_TARGET}× the bare app's p99 in the same run, and far below Slack's 3 s (read as ≤ ${ABSOLUTE_TARGET_MS} ms); CPU per request ≤ ${RATIO_TARGET}× the bare app's. CPU per request is the server process's user + system time (/proc/<pid>/stat, 10 ms ticks) over its rounds and the 300 ms after each, divided by its requests: both include the reply sent after the ack.`,
      ],
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await bare?.stop();
    await bot?.stop();
    await fake.stop();
    await steps.close();
    await workspace.remove();
  }
}

/**
 * BENCH_ACK_CPU_PROF=<dir>: both servers run with `--cpu-prof` and write their profiles there when they stop
 * (in `<dir>/bot` and `<dir>/bare`), to see where the bot's CPU per request goes.
 */
function profiling(target: Target): string[] {
  const dir = process.env.BENCH_ACK_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}/${target}`] : [];
}

type Pooled = { latenciesMs: number[]; failures: number; cpuMs: number };

/** Waits (at most 15 s) for the fake to have accepted one reply per request sent; what it has by then. */
async function answeredRequests(
  statsUrl: string,
  sent: Record<Target, number>,
): Promise<Record<Target, number>> {
  const read = async () => {
    const body = (await (await fetch(statsUrl)).json()) as {
      ephemeralResponses: Partial<Record<Target, number>>;
    };
    return { bot: body.ephemeralResponses.bot ?? 0, bare: body.ephemeralResponses.bare ?? 0 };
  };
  return waitFor(
    'the bot and the bare app to answer every request on its response_url',
    async () => {
      const answered = await read();
      return TARGETS.every((target) => answered[target] >= sent[target]) ? answered : undefined;
    },
    15_000,
  ).catch(read);
}

function rowOf(kind: Kind, level: number, bot: Pooled, bare: Pooled): Row {
  const botP99 = percentile(bot.latenciesMs, 99);
  const bareP99 = percentile(bare.latenciesMs, 99);
  const ratio = botP99 / bareP99;
  const cpuPerRequest = (run: Pooled) => run.cpuMs / run.latenciesMs.length;
  const cpuRatio = cpuPerRequest(bot) / cpuPerRequest(bare);
  const failures = bot.failures + bare.failures;
  const describe = (run: Pooled) =>
    `${round(percentile(run.latenciesMs, 50), 1)} / ${round(percentile(run.latenciesMs, 99), 1)} ms; CPU ${round(cpuPerRequest(run), 2)} ms/request`;
  return {
    measure: `${KIND_LABEL[kind]}, ${level} concurrent: p50 / p99; CPU (n=${bot.latenciesMs.length} each)`,
    result: `${describe(bot)}; p99 ${round(ratio, 2)}×, CPU ${round(cpuRatio, 2)}× bare${failures ? `; ${failures} non-200` : ''}`,
    baseline: describe(bare),
    target: `p99 ≤ ${RATIO_TARGET}× bare (${round(bareP99 * RATIO_TARGET, 1)} ms) and ≤ ${ABSOLUTE_TARGET_MS} ms; CPU ≤ ${RATIO_TARGET}× bare`,
    pass: failures === 0 && ratio <= RATIO_TARGET && botP99 <= ABSOLUTE_TARGET_MS && cpuRatio <= RATIO_TARGET,
  };
}
