// Builds domain `Service` and `Environment` values directly, without YAML. The defaults mirror the contract's
// example pipeline: development (smoke), staging (acceptance, load), and production behind an approval gate with a
// canary rollout, a rollback step and a monitor that watches one Prometheus metric.
import type {
  ApprovalPolicy,
  CanaryStep,
  Deploy,
  Environment,
  HttpStep,
  MetricThreshold,
  Monitor,
  RolloutStrategy,
  RunStep,
  Service,
  Step,
  TestStep,
} from '../../src/domain/pipeline.js';
import type { Artifact } from '../../src/domain/promotion.js';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

/** The contract's canary: 10% for 5m, 50% for 10m, then everything. */
export const CONTRACT_CANARY: readonly CanaryStep[] = [
  { weight: 10, pauseMs: 5 * MINUTE },
  { weight: 50, pauseMs: 10 * MINUTE },
  { weight: 100, pauseMs: 0 },
];

export function aRunStep(command: string, overrides: Partial<Omit<RunStep, 'kind'>> = {}): RunStep {
  return {
    kind: 'run',
    command: [command],
    timeoutMs: 5 * MINUTE,
    retries: 0,
    retryBackoffMs: SECOND,
    ...overrides,
  };
}

export function anHttpStep(url: string, overrides: Partial<Omit<HttpStep, 'kind'>> = {}): HttpStep {
  return {
    kind: 'http',
    url,
    method: 'POST',
    headers: {},
    expectStatus: 'any-2xx',
    timeoutMs: MINUTE,
    retries: 0,
    retryBackoffMs: SECOND,
    ...overrides,
  };
}

/** A named test; a bare name runs `./<name>.sh`. */
export function aTest(name: string, step: Step = aRunStep(`./${name}.sh`)): TestStep {
  return { ...step, name };
}

export type DeployOptions = {
  readonly step?: Step;
  readonly strategy?: RolloutStrategy;
  readonly steps?: readonly CanaryStep[];
};

/** An all-at-once `./deploy.sh` unless told otherwise. */
export function aDeploy(options: DeployOptions = {}): Deploy {
  return {
    ...(options.step ?? aRunStep('./deploy.sh')),
    strategy: options.strategy ?? 'all-at-once',
    steps: options.steps ?? [{ weight: 100, pauseMs: 0 }],
  };
}

export function aCanaryDeploy(steps: readonly CanaryStep[] = CONTRACT_CANARY): Deploy {
  return aDeploy({ strategy: 'canary', steps });
}

export function aBlueGreenDeploy(): Deploy {
  return aDeploy({ strategy: 'blue-green' });
}

/** The contract's error-rate metric: a Prometheus query whose value must stay at or below 0.01. */
export function aMetric(
  bounds: { readonly min?: number; readonly max?: number } = { max: 0.01 },
  name = 'error-rate',
): MetricThreshold {
  return {
    name,
    query: {
      kind: 'prometheus',
      url: 'http://prometheus:9090',
      query: 'sum(rate(http_errors_total{version="$VERSION"}[1m]))',
    },
    ...bounds,
  };
}

export function aMonitor(overrides: Partial<Monitor> = {}): Monitor {
  return {
    intervalMs: 30 * SECOND,
    failureLimit: 2,
    inconclusiveLimit: 2,
    initialDelayMs: 0,
    durationMs: 5 * MINUTE,
    metrics: [aMetric()],
    ...overrides,
  };
}

export function anApproval(overrides: Partial<ApprovalPolicy> = {}): ApprovalPolicy {
  return {
    approvers: ['U0CAROL', 'S0RELEASE'],
    required: 1,
    allowSelfApproval: false,
    expiresAfterMs: 24 * HOUR,
    ...overrides,
  };
}

export type EnvironmentOptions = {
  readonly deploy?: Deploy;
  /** Test names (each runs `./<name>.sh`) or whole test steps. */
  readonly tests?: readonly (string | TestStep)[];
  readonly promote?: Environment['promote'];
  /** Pass `undefined` to leave out a part that `aProduction` would add. */
  readonly approval?: ApprovalPolicy | undefined;
  readonly rollback?: Step | undefined;
  readonly monitor?: Monitor | undefined;
  readonly soakMs?: number;
};

/** A plain environment: an all-at-once deploy, the named tests, automatic promotion. */
export function anEnvironment(name: string, options: EnvironmentOptions = {}): Environment {
  return {
    name,
    deploy: options.deploy ?? aDeploy(),
    tests: (options.tests ?? []).map((test) => (typeof test === 'string' ? aTest(test) : test)),
    promote: options.promote ?? 'auto',
    ...(options.approval ? { approval: options.approval } : {}),
    ...(options.rollback ? { rollback: options.rollback } : {}),
    ...(options.monitor ? { monitor: options.monitor } : {}),
    ...(options.soakMs ? { soakMs: options.soakMs } : {}),
  };
}

/** The contract's production: approval gate, canary 10/50/100, `./rollback.sh`, an error-rate monitor. */
export function aProduction(options: EnvironmentOptions & { readonly name?: string } = {}): Environment {
  const { name = 'production', ...rest } = options;
  return anEnvironment(name, {
    deploy: aCanaryDeploy(),
    approval: anApproval(),
    rollback: aRunStep('./rollback.sh'),
    monitor: aMonitor(),
    ...rest,
  });
}

export function aService(overrides: Partial<Service> = {}): Service {
  return {
    name: 'checkout',
    channel: 'C0DEPLOYS',
    alertChannel: 'C0ONCALL',
    owners: ['U0ALICE', 'S0SREGROUP'],
    environments: [
      anEnvironment('development', { tests: ['smoke'] }),
      anEnvironment('staging', { tests: ['acceptance', 'load'] }),
      aProduction(),
    ],
    ...overrides,
  };
}

/** The default service with its production replaced. */
export function aServiceWithProduction(options: EnvironmentOptions = {}): Service {
  return aService({
    environments: [
      anEnvironment('development', { tests: ['smoke'] }),
      anEnvironment('staging', { tests: ['acceptance', 'load'] }),
      aProduction(options),
    ],
  });
}

export function anArtifact(overrides: Partial<Artifact> = {}): Artifact {
  return { service: 'checkout', version: '1.4.0', digest: `sha256:${'a'.repeat(64)}`, ...overrides };
}
