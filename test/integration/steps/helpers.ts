// Shared by the step and metric tests: a step context, scripts in a temp dir, and waiting on conditions.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HttpStep, RunStep } from '../../../src/domain/pipeline.js';
import type { StepContext } from '../../../src/domain/step-context.js';

export function stepContext(overrides: Partial<StepContext> = {}): StepContext {
  return {
    SERVICE: 'checkout',
    VERSION: '1.4.2',
    DIGEST: `sha256:${'ab'.repeat(32)}`,
    ENVIRONMENT: 'staging',
    PREVIOUS_VERSION: '1.4.1',
    WEIGHT: '100',
    COLOR: '',
    PROMOTION_ID: 'prm_01',
    ...overrides,
  };
}

export function runStepOf(command: readonly string[], timeoutMs = 5_000): RunStep {
  return { kind: 'run', command, timeoutMs, retries: 0, retryBackoffMs: 1_000 };
}

export function httpStepOf(url: string, overrides: Partial<Omit<HttpStep, 'kind'>> = {}): HttpStep {
  return {
    kind: 'http',
    url,
    method: 'GET',
    headers: {},
    expectStatus: 'any-2xx',
    timeoutMs: 5_000,
    retries: 0,
    retryBackoffMs: 1_000,
    ...overrides,
  };
}

export type ScriptDir = {
  path: string;
  /** Writes an executable `/bin/sh` script and returns its path relative to the dir (`./name`). */
  script(name: string, body: string): Promise<string>;
  remove(): Promise<void>;
};

export async function createScriptDir(): Promise<ScriptDir> {
  const path = await mkdtemp(join(tmpdir(), 'promotion-bot-steps-'));
  return {
    path,
    async script(name, body) {
      const file = join(path, name);
      await writeFile(file, `#!/bin/sh\n${body}\n`);
      await chmod(file, 0o755);
      return `./${name}`;
    },
    remove: () => rm(path, { recursive: true, force: true }),
  };
}

/** Polls `condition` until it holds; fails after `timeoutMs`. */
export async function waitUntil(
  condition: () => boolean,
  timeoutMs = 2_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A promise together with the function that resolves it (e.g. from an onStart callback). */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}
