// Where each environment's demo service listens and where the demo keeps its pid and log files. `promotion-bot
// demo` picks free ports and passes them as DEMO_PORT_<ENVIRONMENT>; run by hand, the defaults below apply.
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DEFAULT_PORTS = { development: 4101, staging: 4102, production: 4103 };

/** The port of `environment`'s demo service. */
export function portOf(environment) {
  const fromEnv = process.env[`DEMO_PORT_${environment.toUpperCase()}`];
  const port = Number(fromEnv ?? DEFAULT_PORTS[environment]);
  if (!Number.isInteger(port) || port <= 0) {
    throw new Error(
      `no demo port for environment "${environment}": set DEMO_PORT_${environment.toUpperCase()}`,
    );
  }
  return port;
}

/** pid files and service logs: the demo's temporary directory, or one under the system's temp dir. */
export function stateDir() {
  return process.env.DEMO_STATE_DIR ?? join(tmpdir(), 'promotion-bot-demo');
}
