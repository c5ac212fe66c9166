// The pipeline file (see the contract's "Pipeline file" section) -> the domain's `Pipeline`.
// Parse with `Pipeline.safeParse(value, { error: issueMessage })` so that zod's generic messages read well too.
import { z } from 'zod';
import type { Pipeline as PipelineModel, Service as ServiceModel } from '../domain/pipeline.js';
import { Environments } from './environment-schema.js';
import { ChannelId, identifier, PrincipalId, SERVICE_NAME_PATTERN, strictObject } from './schema-kit.js';

export { Approval } from './approval-schema.js';
export { ProductionDeploy, StageDeploy } from './deploy-schema.js';
export { Environments, ProductionEnvironment, StageEnvironment } from './environment-schema.js';
export { Monitor } from './monitor-schema.js';
export { Step } from './step-schema.js';

const ServiceName = identifier(
  SERVICE_NAME_PATTERN,
  'service name',
  'lowercase letters, digits, ".", "_" and "-"',
);

export const Service = strictObject({
  channel: ChannelId,
  alertChannel: ChannelId.optional(),
  owners: z.array(PrincipalId).min(1, 'needs at least one Slack user ID (U…) or user-group ID (S…)'),
  environments: Environments,
}).transform(
  ({ channel, alertChannel, owners, environments }): Omit<ServiceModel, 'name'> => ({
    channel,
    alertChannel: alertChannel ?? channel,
    owners,
    environments,
  }),
);

export const Pipeline = strictObject(
  {
    services: z
      .record(ServiceName, Service)
      .refine((services) => Object.keys(services).length > 0, 'needs at least one service'),
  },
  { missing: 'the pipeline file is empty: it needs a services: map' },
).transform(
  ({ services }): PipelineModel => ({
    services: new Map(Object.entries(services).map(([name, service]) => [name, { name, ...service }])),
  }),
);
