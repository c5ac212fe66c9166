// One environment of a service. The last environment is production and has its own schema: it must have an
// approval and is the only one that may roll out gradually, be monitored and roll back; the others may soak.
import { z } from 'zod';
import type { ApprovalPolicy, Deploy, Environment, Monitor, Step, TestStep } from '../domain/pipeline.js';
import { Approval } from './approval-schema.js';
import { ProductionDeploy, StageDeploy } from './deploy-schema.js';
import { Duration } from './duration.js';
import { issueMessage } from './issue-message.js';
import { Monitor as MonitorSchema } from './monitor-schema.js';
import {
  ENVIRONMENT_NAME_PATTERN,
  forbidden,
  identifier,
  reportDuplicates,
  strictObject,
} from './schema-kit.js';
import { Step as StepSchema, stepShape, toStep } from './step-schema.js';

const TEST_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

const Test = strictObject({
  name: identifier(TEST_NAME, 'test name', 'lowercase letters, digits, ".", "_" and "-"'),
  ...stepShape,
}).transform((fields, ctx): TestStep => {
  const step = toStep(fields, ctx);
  return step ? { ...step, name: fields.name } : z.NEVER;
});

const Tests = z
  .array(Test)
  .default([])
  .superRefine((tests, ctx) => {
    reportDuplicates(
      tests.map((test) => test.name),
      ctx,
      { what: 'test', path: (index) => [index, 'name'] },
    );
  });

const environmentShape = {
  name: identifier(ENVIRONMENT_NAME_PATTERN, 'environment name', 'lowercase letters, digits and "-"'),
  tests: Tests,
  promote: z.enum(['auto', 'manual']).default('auto'),
};

type EnvironmentFields = {
  name: string;
  deploy: Deploy;
  tests: TestStep[];
  promote: Environment['promote'];
  approval?: ApprovalPolicy | undefined;
  rollback?: Step | undefined;
  monitor?: Monitor | undefined;
  soak?: number | undefined;
};

function toEnvironment({
  name,
  deploy,
  tests,
  promote,
  approval,
  rollback,
  monitor,
  soak,
}: EnvironmentFields): Environment {
  return {
    name,
    deploy,
    tests,
    promote,
    ...(approval === undefined ? {} : { approval }),
    ...(rollback === undefined ? {} : { rollback }),
    ...(monitor === undefined ? {} : { monitor }),
    // `soak: 0s` is no soak at all.
    ...(soak ? { soakMs: soak } : {}),
  };
}

const ONLY_PRODUCTION = 'only for production (the last environment)';

export const StageEnvironment = strictObject({
  ...environmentShape,
  deploy: StageDeploy,
  approval: forbidden(
    `approval is ${ONLY_PRODUCTION}: to wait for someone before promoting from here, use promote: manual instead`,
  ),
  rollback: forbidden(`rollback is ${ONLY_PRODUCTION}: remove it here`),
  monitor: forbidden(`monitor is ${ONLY_PRODUCTION}: remove it here`),
  soak: Duration.optional(),
}).transform(toEnvironment);

export const ProductionEnvironment = strictObject({
  ...environmentShape,
  deploy: ProductionDeploy,
  approval: Approval,
  rollback: StepSchema.optional(),
  monitor: MonitorSchema.optional(),
  soak: forbidden(
    'soak is for the environments before production: in production the monitor analyses the rollout instead (monitor: { duration: … })',
  ),
}).transform(toEnvironment);

function nameOf(item: unknown): unknown {
  return typeof item === 'object' && item !== null && 'name' in item ? item.name : undefined;
}

/**
 * The ordered environments of a service. Each item is parsed with the schema of its position, and every item is
 * parsed even when another fails, so one run reports the problems of all of them.
 */
export const Environments = z
  .array(z.unknown())
  .min(1, 'needs at least one environment: the last one is production')
  .transform((items, ctx): Environment[] => {
    const environments: Environment[] = [];
    items.forEach((item, index) => {
      const schema = index === items.length - 1 ? ProductionEnvironment : StageEnvironment;
      const result = schema.safeParse(item, { error: issueMessage });
      if (result.success) environments.push(result.data);
      else for (const issue of result.error.issues) ctx.addIssue({ ...issue, path: [index, ...issue.path] });
    });
    reportDuplicates(items.map(nameOf), ctx, { what: 'environment', path: (index) => [index, 'name'] });
    return environments;
  });
