// `run` and `http` steps: deploy, test and rollback all share these fields.
import { z } from 'zod';
import type { HttpStep, Step as StepModel } from '../domain/pipeline.js';
import { Duration, PositiveDuration } from './duration.js';
import { Headers, HttpUrl, strictObject } from './schema-kit.js';
import { splitCommand } from './split-command.js';

export const STEP_DEFAULTS = {
  runTimeoutMs: 10 * 60_000,
  httpTimeoutMs: 30_000,
  retries: 0,
  retryBackoffMs: 1000,
} as const;

const RunText = z.string().transform((text, ctx) => {
  const result = splitCommand(text);
  if (result.ok) return result.words;
  // `continue` keeps these issues specific: without it, the union below would replace them with its own message.
  for (const message of result.messages)
    ctx.addIssue({ code: 'custom', message, input: text, continue: true });
  return z.NEVER;
});

const RunWords = z
  .array(z.string(), { error: 'must be a list of strings' })
  .min(1, 'is empty: give the program to run, like [./deploy.sh, --fast]')
  .refine((words) => words[0]?.trim() !== '', {
    error: 'the first word is the program to run: it cannot be empty',
    path: [0],
  });

const RunCommand = z.union([RunText, RunWords], {
  error: 'must be a command line like ./deploy.sh --fast, or a list of strings like [./deploy.sh, --fast]',
});

const StatusCode = z
  .int({ error: 'must be an HTTP status code like 200' })
  .min(100, 'must be an HTTP status code from 100 to 599')
  .max(599, 'must be an HTTP status code from 100 to 599');

const ExpectStatus = z
  .union([StatusCode, z.array(StatusCode).min(1)], {
    error: 'must be an HTTP status code like 200, or a list of them like [200, 204]',
  })
  .transform((status) => (typeof status === 'number' ? [status] : status))
  .optional();

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;

const HttpRequest = strictObject({
  url: HttpUrl,
  method: z.enum(HTTP_METHODS).default('GET'),
  headers: Headers,
  body: z.string().optional(),
  expectStatus: ExpectStatus,
  timeout: PositiveDuration.optional(),
}).superRefine((request, ctx) => {
  if (request.body !== undefined && (request.method === 'GET' || request.method === 'HEAD')) {
    ctx.addIssue({
      code: 'custom',
      message: `a ${request.method} request cannot have a body: set method to POST, PUT or PATCH, or remove body`,
      path: ['body'],
      input: request.body,
    });
  }
});

/** The fields every step has; deploy and test steps add their own. */
export const stepShape = {
  run: RunCommand.optional(),
  http: HttpRequest.optional(),
  timeout: PositiveDuration.optional(),
  retries: z.int().min(0).max(10).default(STEP_DEFAULTS.retries),
  retryBackoff: Duration.default(STEP_DEFAULTS.retryBackoffMs),
};

const StepFields = z.object(stepShape);
type StepFields = z.output<typeof StepFields>;
type StepContext = { addIssue(issue: z.core.$ZodSuperRefineIssue): void };

function toHttpStep(request: NonNullable<StepFields['http']>, fields: StepFields): HttpStep {
  return {
    kind: 'http',
    url: request.url,
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
    expectStatus: request.expectStatus ?? 'any-2xx',
    timeoutMs: request.timeout ?? fields.timeout ?? STEP_DEFAULTS.httpTimeoutMs,
    retries: fields.retries,
    retryBackoffMs: fields.retryBackoff,
  };
}

/** Checks what zod cannot see field by field (exactly one of run and http; one timeout) and builds the step. */
export function toStep(fields: StepFields, ctx: StepContext): StepModel | undefined {
  const { run, http } = fields;
  if (run !== undefined && http !== undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'a step has either run or http, not both: remove one',
      path: ['http'],
      input: http,
    });
    return undefined;
  }
  if (http !== undefined) {
    if (http.timeout !== undefined && fields.timeout !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'timeout is set both here and on the step: keep one of them',
        path: ['http', 'timeout'],
        input: http.timeout,
      });
      return undefined;
    }
    return toHttpStep(http, fields);
  }
  if (run === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'a step needs run (a command) or http (a request): add one of them',
      input: fields,
    });
    return undefined;
  }
  return {
    kind: 'run',
    command: run,
    timeoutMs: fields.timeout ?? STEP_DEFAULTS.runTimeoutMs,
    retries: fields.retries,
    retryBackoffMs: fields.retryBackoff,
  };
}

/** A rollback step: a step with nothing else. */
export const Step = strictObject(stepShape).transform((fields, ctx) => toStep(fields, ctx) ?? z.NEVER);
