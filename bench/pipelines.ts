// Pipeline files for the benchmarks: services of three environments whose steps are no-op HTTP calls to a
// server of the benchmark's own on 127.0.0.1, so what is measured is the bot, not the steps.

export type NoopPipelineOptions = {
  readonly services: readonly string[];
  /** The no-op step endpoint; `$SERVICE`, `$ENVIRONMENT` and `$VERSION` are filled in by the bot. */
  readonly stepUrl: string;
  /** Every service's channel, or several dealt out to the services in turn. */
  readonly channel?: string | readonly string[];
  /** Each service's channel, when they do not share `channel`. */
  readonly channelOf?: (service: string) => string;
  /** How development hands over to staging: `manual` parks each promotion as `waiting`. */
  readonly firstPromote?: 'auto' | 'manual';
  /** One test step after each deploy (production's checks its first rollout step). */
  readonly tests?: boolean;
  /** Production's analysis and rollback; without it production is one deploy, not analysed. */
  readonly production?: {
    readonly prometheusUrl: string;
    readonly interval: string;
    readonly failureLimit: number;
  };
};

export const APPROVER = 'U0CAROL';

export function numberedServices(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}-${String(index + 1).padStart(4, '0')}`);
}

export function noopPipeline(options: NoopPipelineOptions): string {
  const request = (kind: string) =>
    `{ url: '${options.stepUrl}/${kind}?service=$SERVICE&environment=$ENVIRONMENT&version=$VERSION', method: POST }`;
  const step = (kind: string) => `{ http: ${request(kind)} }`;
  const tests = options.tests ? `        tests: [ { name: smoke, http: ${request('test')} } ]\n` : '';
  const production = options.production;
  const monitor = production
    ? `        rollback: ${step('rollback')}
        monitor:
          interval: ${production.interval}
          failureLimit: ${production.failureLimit}
          duration: 5m
          metrics:
            - name: error-rate
              prometheus: { url: ${production.prometheusUrl}, query: 'sum(rate(http_errors_total{version="$VERSION"}[1m]))' }
              max: 0.01
`
    : '';
  const channels = [options.channel ?? 'C0DEPLOYS'].flat();
  const services = options.services.map(
    (name, index) => `  ${name}:
    channel: ${options.channelOf?.(name) ?? channels[index % channels.length]}
    owners: [U0ALICE]
    environments:
      - name: development
        deploy: ${step('deploy')}
${tests}        promote: ${options.firstPromote ?? 'auto'}
      - name: staging
        deploy: ${step('deploy')}
${tests}      - name: production
        approval: { approvers: [${APPROVER}], expiresAfter: 1h }
        deploy: ${step('deploy')}
${tests}${monitor}`,
  );
  return `services:\n${services.join('')}`;
}

/**
 * Services of two environments against test/support's workspace scripts (createWorkspace): development runs
 * `./deploy.sh`, then production waits behind a gate for APPROVER. Each service posts into its own channel.
 */
export function gatedPipeline(
  services: readonly { readonly name: string; readonly channel: string }[],
): string {
  const entries = services.map(
    ({ name, channel }) => `  ${name}:
    channel: ${channel}
    owners: [U0ALICE]
    environments:
      - name: development
        deploy: { run: ./deploy.sh }
      - name: production
        approval: { approvers: [${APPROVER}], expiresAfter: 1h }
        deploy: { run: ./deploy.sh }
`,
  );
  return `services:\n${entries.join('')}`;
}
