// Freeze windows in the pipeline file: one-off (`from`/`until`) or recurring (`cron` + `duration` + `timezone`).
// Which environments a window names is checked against each service where the whole file is known.
import { Cron } from 'croner';
import { z } from 'zod';
import type { FreezeSchedule } from '../domain/freeze.js';
import { PositiveDuration } from './duration.js';
import { ENVIRONMENT_NAME_PATTERN, identifier, SERVICE_NAME_PATTERN, strictObject } from './schema-kit.js';

const WINDOW_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$/;

const CronExpression = z.string().superRefine((text, ctx) => {
  const fields = text.trim().split(/\s+/);
  if (fields.length !== 5) {
    ctx.addIssue({
      code: 'custom',
      message: `"${text}" has ${fields.length} fields; a cron expression here has 5: minute hour day-of-month month day-of-week (e.g. "0 18 * * FRI")`,
    });
    return;
  }
  try {
    new Cron(text, { paused: true });
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: `"${text}" is not a cron expression: ${(error as Error).message}`,
    });
  }
});

export const TimeZone = z.string().superRefine((name, ctx) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: `"${name}" is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)`,
    });
  }
});

const Instant = z.iso.datetime({
  offset: true,
  error: 'must be a date and time with its offset, e.g. 2026-12-21T00:00:00Z',
});

const windowShape = {
  name: z
    .string()
    .regex(WINDOW_NAME, 'is not a valid window name: letters, digits, spaces, ".", "_" and "-"'),
  from: Instant.optional(),
  until: Instant.optional(),
  cron: CronExpression.optional(),
  duration: PositiveDuration.optional(),
  timezone: TimeZone.optional(),
  environments: z
    .array(identifier(ENVIRONMENT_NAME_PATTERN, 'environment name', 'lowercase letters, digits and "-"'))
    .min(1, 'name at least one environment, or leave environments out for production')
    .optional(),
};

type WindowFields = {
  name: string;
  from?: string | undefined;
  until?: string | undefined;
  cron?: string | undefined;
  duration?: number | undefined;
  timezone?: string | undefined;
  environments?: string[] | undefined;
};

/** A window as the file says it: its environments are resolved per service (none named: production). */
export type FreezeFields = {
  readonly name: string;
  readonly environments?: readonly string[];
  readonly schedule: FreezeSchedule;
};

function toFreeze(fields: WindowFields, ctx: z.RefinementCtx): FreezeFields {
  const { name, from, until, cron, duration, timezone, environments } = fields;
  const where = environments ? { environments } : {};
  const oneOff = from !== undefined || until !== undefined;
  const recurring = cron !== undefined || duration !== undefined || timezone !== undefined;
  if (oneOff && recurring) {
    ctx.addIssue({
      code: 'custom',
      message: 'a window is either one-off (from, until) or recurring (cron, duration, timezone), not both',
    });
    return z.NEVER;
  }
  if (oneOff) {
    if (from === undefined || until === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a one-off window needs both from and until' });
      return z.NEVER;
    }
    if (Date.parse(until) <= Date.parse(from)) {
      ctx.addIssue({ code: 'custom', message: 'until must be later than from', path: ['until'] });
      return z.NEVER;
    }
    return { name, ...where, schedule: { kind: 'once', from: iso(from), until: iso(until) } };
  }
  if (cron === undefined || duration === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'a window needs from and until (one-off) or cron and duration (recurring)',
    });
    return z.NEVER;
  }
  return {
    name,
    ...where,
    schedule: { kind: 'recurring', cron, durationMs: duration, timezone: timezone ?? 'UTC' },
  };
}

function iso(instant: string): string {
  return new Date(instant).toISOString();
}

/** A service's own windows. */
export const ServiceFreeze = strictObject(windowShape).transform(toFreeze);

/** A window at the top of the file: every service's, or the `services` it names. */
export const PipelineFreeze = strictObject({
  ...windowShape,
  services: z
    .array(identifier(SERVICE_NAME_PATTERN, 'service name', 'lowercase letters, digits, ".", "_" and "-"'))
    .min(1, 'name at least one service, or leave services out for every service')
    .optional(),
}).transform(({ services, ...fields }, ctx) => {
  const freeze = toFreeze(fields, ctx);
  return services ? { ...freeze, services } : freeze;
});
