import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Step scripts for end-to-end tests: real child processes whose behaviour a test steers with marker files
// (`fail-<step>-<version>`) and whose runs it reads back from log files in the workspace.
// Slow steps block until a release marker exists and say they started (with their pid) in a marker of their own:
// `slow-deploy-<env>-<version>` / `release-…` / `started-…`, `slow-test-<name>-<version>` / `release-test-…` /
// `started-test-…` for a test, and `slow-rollback-<version>` / `release-rollback-…` / `started-rollback-…`.

const DEPLOY = `#!/bin/sh
echo "$ENVIRONMENT $VERSION weight=$WEIGHT previous=$PREVIOUS_VERSION color=$COLOR" >> deploys.log
if [ -e "slow-deploy-$ENVIRONMENT-$VERSION" ]; then
  # Another copy still running (a zombie left by a kill is not running: this sandbox's init may not reap it).
  other=$(cat running.pid 2>/dev/null)
  state=$( [ -n "$other" ] && awk '{print $3}' "/proc/$other/stat" 2>/dev/null )
  if [ -n "$state" ] && [ "$state" != Z ]; then echo "CONCURRENT $$" >> deploys.log; fi
  echo $$ > running.pid
  echo "started $$" > "started-$ENVIRONMENT-$VERSION"
  while [ ! -e "release-$ENVIRONMENT-$VERSION" ]; do sleep 0.05; done
  rm -f running.pid
fi
if [ -e "fail-deploy-$ENVIRONMENT-$VERSION" ]; then echo "deploy of $VERSION to $ENVIRONMENT failed: image pull backoff"; exit 3; fi
if [ -e "flaky-deploy-$ENVIRONMENT-$VERSION" ]; then rm "flaky-deploy-$ENVIRONMENT-$VERSION"; echo "registry timed out"; exit 75; fi
echo "deployed $VERSION to $ENVIRONMENT"
`;

const CHECK = `#!/bin/sh
name="$1"
echo "$ENVIRONMENT $VERSION $name" >> tests.log
if [ -e "slow-test-$name-$VERSION" ]; then
  # Like deploy.sh: a second copy of this test running while the first still runs is logged as CONCURRENT.
  other=$(cat "running-test-$name.pid" 2>/dev/null)
  state=$( [ -n "$other" ] && awk '{print $3}' "/proc/$other/stat" 2>/dev/null )
  if [ -n "$state" ] && [ "$state" != Z ]; then echo "CONCURRENT $$" >> tests.log; fi
  echo $$ > "running-test-$name.pid"
  echo "started $$" > "started-test-$name-$VERSION"
  while [ ! -e "release-test-$name-$VERSION" ]; do sleep 0.05; done
  rm -f "running-test-$name.pid"
fi
if [ -e "fail-$name-$VERSION" ]; then
  echo "$name: checking $VERSION"
  echo "$name: 3 of 12 checks failed"
  exit 1
fi
echo "$name: 12 checks passed"
`;

const ROLLBACK = `#!/bin/sh
echo "rollback $VERSION -> $PREVIOUS_VERSION" >> rollbacks.log
if [ -e "slow-rollback-$VERSION" ]; then
  echo "started $$" > "started-rollback-$VERSION"
  while [ ! -e "release-rollback-$VERSION" ]; do sleep 0.05; done
fi
if [ -e "fail-rollback-$VERSION" ]; then echo "rollback failed"; exit 4; fi
`;

export type Workspace = {
  readonly dir: string;
  touch(name: string): Promise<void>;
  lines(log: 'deploys.log' | 'tests.log' | 'rollbacks.log'): Promise<string[]>;
  writePipeline(yaml: string): Promise<string>;
  remove(): Promise<void>;
};

export async function createWorkspace(): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'pb-e2e-'));
  // Steps run as an unprivileged user when the tests run as root: they write their logs here, like /tmp.
  await chmod(dir, 0o777);
  for (const [name, body] of [
    ['deploy.sh', DEPLOY],
    ['check.sh', CHECK],
    ['rollback.sh', ROLLBACK],
  ] as const) {
    await writeFile(join(dir, name), body);
    await chmod(join(dir, name), 0o755);
  }
  return {
    dir,
    touch: (name) => writeFile(join(dir, name), ''),
    async lines(log) {
      const text = await readFile(join(dir, log), 'utf8').catch(() => '');
      return text.split('\n').filter(Boolean);
    },
    async writePipeline(yaml) {
      const file = join(dir, 'pipeline.yml');
      await writeFile(file, yaml);
      return file;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export type PipelineOptions = {
  readonly prometheusUrl: string;
  readonly stagingPromote?: 'auto' | 'manual';
  readonly required?: number;
  readonly approvers?: readonly string[];
  readonly rollback?: boolean;
  readonly strategy?: 'canary' | 'blue-green';
  readonly failureLimit?: number;
  readonly expiresAfter?: string;
  readonly retries?: number;
  /** What too many checks without data do (the monitor's `onInconclusive`). */
  readonly onInconclusive?: 'rollback' | 'ask';
  /** The monitor's interval (default 100ms), its inconclusiveLimit, and the first canary step's pause (600ms). */
  readonly monitorInterval?: string;
  readonly inconclusiveLimit?: number;
  readonly firstPause?: string;
  /** The gate's reminders: e.g. `{ remindEvery: '1s', escalateAfter: '2s', escalateTo: ['S0ONCALL'] }`. */
  readonly reminders?: {
    readonly remindEvery?: string;
    readonly escalateAfter?: string;
    readonly escalateTo?: readonly string[];
  };
  /** The service's `compareUrl` template. */
  readonly compareUrl?: string;
  /** Staging's soak (`3s`): how long a promotion stays there after its tests pass. */
  readonly soak?: string;
  /** One-off freeze windows at the top of the file (every service's). */
  readonly freezes?: readonly {
    readonly name: string;
    readonly from: Date;
    readonly until: Date;
    readonly environments?: readonly string[];
  }[];
};

function remindersYaml(reminders: PipelineOptions['reminders']): string {
  if (!reminders) return '';
  const parts = [
    reminders.remindEvery ? `remindEvery: ${reminders.remindEvery}` : '',
    reminders.escalateAfter ? `escalateAfter: ${reminders.escalateAfter}` : '',
    reminders.escalateTo ? `escalateTo: [${reminders.escalateTo.join(', ')}]` : '',
  ].filter((part) => part !== '');
  return parts.length > 0 ? `, ${parts.join(', ')}` : '';
}

function freezesYaml(freezes: PipelineOptions['freezes']): string {
  if (!freezes?.length) return '';
  const windows = freezes.map((freeze) => {
    const where = freeze.environments ? `, environments: [${freeze.environments.join(', ')}]` : '';
    return `  - { name: ${freeze.name}, from: ${freeze.from.toISOString()}, until: ${freeze.until.toISOString()}${where} }`;
  });
  return `freezes:\n${windows.join('\n')}\n`;
}

/** The contract's example pipeline with test-sized durations, against this workspace's scripts. */
export function testPipeline(options: PipelineOptions): string {
  const approvers = (options.approvers ?? ['U0CAROL', 'U0DAVE']).join(', ');
  const deploy =
    options.strategy === 'blue-green'
      ? '{ run: ./deploy.sh, strategy: blue-green }'
      : `{ run: ./deploy.sh, strategy: canary, steps: [ {weight: 10, pause: ${options.firstPause ?? '600ms'}}, {weight: 50, pause: 300ms}, {weight: 100} ] }`;
  return `${freezesYaml(options.freezes)}services:
  checkout:
    channel: C0DEPLOYS
    alertChannel: C0ONCALL
    owners: [U0ALICE, U0CAROL]
${options.compareUrl ? `    compareUrl: '${options.compareUrl}'\n` : ''}    environments:
      - name: development
        deploy: { run: ./deploy.sh, retries: ${options.retries ?? 0}, retryBackoff: 100ms }
        tests: [ { name: smoke, run: ./check.sh smoke } ]
        promote: auto
      - name: staging
        deploy: { run: ./deploy.sh }
        tests: [ { name: acceptance, run: ./check.sh acceptance }, { name: load, run: ./check.sh load } ]
        promote: ${options.stagingPromote ?? 'auto'}
${options.soak === undefined ? '' : `        soak: ${options.soak}\n`}      - name: production
        approval: { approvers: [${approvers}], required: ${options.required ?? 1}, expiresAfter: ${options.expiresAfter ?? '1h'}${remindersYaml(options.reminders)} }
        deploy: ${deploy}
${options.rollback === false ? '' : '        rollback: { run: ./rollback.sh }\n'}        monitor:
          interval: ${options.monitorInterval ?? '100ms'}${options.onInconclusive ? `\n          onInconclusive: ${options.onInconclusive}` : ''}${options.inconclusiveLimit ? `\n          inconclusiveLimit: ${options.inconclusiveLimit}` : ''}
          failureLimit: ${options.failureLimit ?? 2}
          duration: 500ms
          metrics:
            - name: error-rate
              prometheus: { url: ${options.prometheusUrl}, query: 'sum(rate(http_errors_total{version="$VERSION"}[1m]))' }
              max: 0.01
`;
}

export type ServicesPipelineOptions = {
  /** How many services: `svc-01`, `svc-02`, … */
  readonly count: number;
  readonly channel?: string;
  readonly alertChannel?: string;
  readonly approvers?: readonly string[];
};

/** Many small services sharing one channel: development (deploy only), then production behind the gate. */
export function servicesPipeline(options: ServicesPipelineOptions): string {
  const names = serviceNames(options.count);
  const approvers = (options.approvers ?? ['U0CAROL', 'U0DAVE']).join(', ');
  const services = names.map(
    (name) => `  ${name}:
    channel: ${options.channel ?? 'C0DEPLOYS'}
    alertChannel: ${options.alertChannel ?? 'C0ONCALL'}
    owners: [U0ALICE, U0CAROL]
    environments:
      - name: development
        deploy: { run: ./deploy.sh }
      - name: production
        approval: { approvers: [${approvers}], expiresAfter: 1h }
        deploy: { run: ./deploy.sh }
`,
  );
  return `services:\n${services.join('')}`;
}

/** The service names `servicesPipeline` generates, in order. */
export function serviceNames(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `svc-${String(index + 1).padStart(2, '0')}`);
}
