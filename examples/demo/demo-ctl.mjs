// Small, portable helpers for deploy.sh and rollback.sh (no curl, no setsid needed):
//   port                      print this environment's port ($ENVIRONMENT)
//   version                   print the version running in this environment (exit 1 when none answers)
//   weight PERCENT            move the running version's traffic weight
//   spawn LOG_FILE            start service.mjs detached (its own process group), output to LOG_FILE; print its pid
//   wait LOG_FILE             wait until this environment's service answers with $VERSION
//   stop PID                  stop process group PID: SIGTERM, then SIGKILL after 5 s
import { spawn } from 'node:child_process';
import { openSync, readdirSync, readFileSync } from 'node:fs';
import { portOf } from './ports.mjs';

const [command, ...args] = process.argv.slice(2);
const environment = process.env.ENVIRONMENT ?? '';

function out(line) {
  process.stdout.write(`${line}\n`);
}

function fail(line) {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

async function runningVersion(port) {
  const response = await fetch(`http://127.0.0.1:${port}/version`, { signal: AbortSignal.timeout(2000) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json()).version;
}

function spawnService(logFile) {
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, [new URL('./service.mjs', import.meta.url).pathname], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, PORT: String(portOf(environment)) },
  });
  child.unref();
  out(String(child.pid));
}

async function waitUntilServing(logFile) {
  const port = portOf(environment);
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const version = await runningVersion(port).catch(() => undefined);
    if (version === process.env.VERSION) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n');
  fail(`${process.env.SERVICE} ${process.env.VERSION} did not start on port ${port} within 15s:\n${tail}`);
}

/** Whether a process of the group is alive; an exited one nobody has reaped yet (a zombie) does not count. */
function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    // EPERM: it exists, as another user.
    if (error.code !== 'EPERM') return false;
  }
  try {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .some((entry) => {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(fields[2]) === pgid && fields[0] !== 'Z';
      });
  } catch {
    return true; // no /proc (macOS): the signal check above is all there is
  }
}

async function stopGroup(pgid) {
  if (!Number.isInteger(pgid) || pgid <= 1 || !groupAlive(pgid)) return;
  process.kill(-pgid, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
}

switch (command) {
  case 'port':
    out(String(portOf(environment)));
    break;
  case 'version':
    out(await runningVersion(portOf(environment)).catch(() => fail('nothing answers')));
    break;
  case 'weight': {
    const response = await fetch(`http://127.0.0.1:${portOf(environment)}/weight?value=${Number(args[0])}`, {
      method: 'POST',
    });
    if (!response.ok) fail(`could not change the weight: HTTP ${response.status}`);
    break;
  }
  case 'spawn':
    spawnService(args[0] ?? '/dev/null');
    break;
  case 'wait':
    await waitUntilServing(args[0] ?? '/dev/null');
    break;
  case 'stop':
    await stopGroup(Number(args[0]));
    break;
  default:
    fail(
      `usage: demo-ctl.mjs port | version | weight PERCENT | spawn LOG | wait LOG | stop PID (not "${command}")`,
    );
}
