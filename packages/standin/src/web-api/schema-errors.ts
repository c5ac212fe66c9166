// Words Ajv's findings the way Slack words invalid_blocks errors: `<what> [json-pointer:/blocks/0/text/text]`.
import type { SchemaError } from './block-kit-schema.js';

export function toSlackErrors(errors: readonly SchemaError[] | null | undefined, pointer: string): string[] {
  const messages = (errors ?? []).filter(isReportable).map((error) => describe(error, pointer));
  return [...new Set(messages)];
}

/** `if` and `oneOf` summaries only repeat what the errors inside them already say. */
function isReportable(error: SchemaError): boolean {
  return error.keyword !== 'if';
}

function describe(error: SchemaError, pointer: string): string {
  return `${phrase(error)} [json-pointer:${pointer}${error.instancePath}]`;
}

function phrase(error: SchemaError): string {
  const params: Record<string, unknown> = error.params;
  switch (error.keyword) {
    case 'maxLength':
      return `must be less than ${Number(params.limit) + 1} characters`;
    case 'minLength':
      return `must be more than ${Number(params.limit) - 1} characters`;
    case 'maxItems':
      return `must be less than ${Number(params.limit) + 1} items`;
    case 'minItems':
      return `must provide at least ${String(params.limit)} items`;
    case 'required':
      return `missing required field: ${String(params.missingProperty)}`;
    case 'additionalProperties':
      return `invalid additional property: ${String(params.additionalProperty)}`;
    case 'discriminator':
      return params.error === 'mapping'
        ? `unsupported type: ${String(params.tagValue)}`
        : `must provide a string field: ${String(params.tag)}`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case 'enum':
      return `must be one of ${JSON.stringify(params.allowedValues)}`;
    case 'type':
      return `must provide a ${String(params.type)}`;
    case 'oneOf':
    case 'anyOf':
      return 'failed to match all allowed schemas';
    default:
      return error.message ?? error.keyword;
  }
}
