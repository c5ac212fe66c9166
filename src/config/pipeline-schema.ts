// The pipeline file (see the contract's "Pipeline file" section) -> the domain's `Pipeline`.
// Parse with `Pipeline.safeParse(value, { error: issueMessage })` so that zod's generic messages read well too.
import { z } from 'zod';
import type { FreezeWindow } from '../domain/freeze.js';
import type { Pipeline as PipelineModel, Service as ServiceModel } from '../domain/pipeline.js';
import { CompareUrl } from './compare-url-schema.js';
import { Environments } from './environment-schema.js';
import { type FreezeFields, PipelineFreeze, ServiceFreeze } from './freeze-schema.js';
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
  freezes: z.array(ServiceFreeze).default([]),
  compareUrl: CompareUrl.optional(),
})
  .superRefine(({ environments, freezes }, ctx) => {
    const names = environments.map((environment) => environment.name);
    freezes.forEach((freeze, index) => {
      freeze.environments?.forEach((name, at) => {
        if (!names.includes(name))
          ctx.addIssue({
            code: 'custom',
            message: `names no environment of this service (environments: ${names.join(', ')})`,
            path: ['freezes', index, 'environments', at],
          });
      });
    });
  })
  .transform(
    ({ channel, alertChannel, owners, environments, freezes, compareUrl }): Omit<ServiceModel, 'name'> => {
      const production = environments.at(-1)?.name ?? 'production';
      return {
        channel,
        alertChannel: alertChannel ?? channel,
        owners,
        environments,
        freezes: freezes.map((freeze) => windowOf(freeze, production)),
        ...(compareUrl ? { compareUrl } : {}),
      };
    },
  );

/** A window with its environments resolved: none named means production. */
function windowOf(freeze: FreezeFields, production: string): FreezeWindow {
  return { name: freeze.name, environments: freeze.environments ?? [production], schedule: freeze.schedule };
}

export const Pipeline = strictObject(
  {
    freezes: z.array(PipelineFreeze).default([]),
    services: z
      .record(ServiceName, Service)
      .refine((services) => Object.keys(services).length > 0, 'needs at least one service'),
  },
  { missing: 'the pipeline file is empty: it needs a services: map' },
)
  .superRefine(({ freezes, services }, ctx) => {
    const known = Object.keys(services);
    freezes.forEach((freeze, index) => {
      const named = 'services' in freeze ? freeze.services : undefined;
      named?.forEach((name, at) => {
        if (!known.includes(name))
          ctx.addIssue({
            code: 'custom',
            message: `names no service of this file (services: ${known.join(', ')})`,
            path: ['freezes', index, 'services', at],
          });
      });
      const applies = Object.entries(services).filter(([name]) => !named || named.includes(name));
      freeze.environments?.forEach((environment, at) => {
        if (!applies.some(([, service]) => service.environments.some((e) => e.name === environment)))
          ctx.addIssue({
            code: 'custom',
            message: `no service this window applies to has an environment "${environment}"`,
            path: ['freezes', index, 'environments', at],
          });
      });
    });
  })
  .transform(
    ({ freezes, services }): PipelineModel => ({
      services: new Map(
        Object.entries(services).map(([name, service]) => {
          const production = service.environments.at(-1)?.name ?? 'production';
          const shared = freezes
            .filter((freeze) => !('services' in freeze) || freeze.services?.includes(name))
            .map((freeze) => windowOf(freeze, production));
          return [name, { name, ...service, freezes: [...shared, ...(service.freezes ?? [])] }];
        }),
      ),
    }),
  );
