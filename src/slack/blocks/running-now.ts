import { shortDigest } from './format.js';
import { escapeMrkdwn, truncate } from './text.js';

// "Running in production now" means one thing on every message: what the environment's current deployment record
// says serves traffic at that moment (EnvironmentStore.current), read when the message is rendered. The gate, the
// rollback notices and App Home all say it with this, so they cannot disagree.

/** An environment's current deployment, as the renderers need it; undefined: nothing was ever released there. */
export type RunningDeployment = {
  readonly version: string;
  readonly digest: string;
  readonly commit?: string;
};

/** `1.4.1 \`sha256:ffffffffffff\``, or `nothing yet (first release)`. */
export function describeRunning(running: RunningDeployment | undefined): string {
  if (!running) return 'nothing yet (first release)';
  return `${escapeMrkdwn(truncate(running.version, 100))} ${shortDigest(running.digest)}`;
}
