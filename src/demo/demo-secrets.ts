// The demo's own secrets, new on every run: what the stand-in signs with and accepts, and the API token.
import { createHash, randomBytes } from 'node:crypto';

export type DemoSecrets = {
  readonly signingSecret: string;
  readonly botToken: string;
  readonly apiToken: string;
  /** Every run writes under its own Redis key prefix, so a shared REDIS_URL never mixes runs. */
  readonly redisPrefix: string;
};

export function createDemoSecrets(): DemoSecrets {
  const hex = (bytes: number) => randomBytes(bytes).toString('hex');
  return {
    signingSecret: hex(16),
    botToken: `xoxb-demo-${hex(12)}`,
    apiToken: hex(16),
    redisPrefix: `demo-${hex(4)}`,
  };
}

/** The commit a demo version was "built" from: stable and well-formed, like the digest. */
export function demoCommit(version: string): string {
  return demoDigest('commit', version).slice('sha256:'.length, 'sha256:'.length + 40);
}

/** A stable, well-formed digest per version, as a build would produce. */
export function demoDigest(service: string, version: string): string {
  return `sha256:${createHash('sha256').update(`${service}@${version}`).digest('hex')}`;
}
