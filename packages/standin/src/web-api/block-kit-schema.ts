// Loads the community Block Kit JSON Schema (draft 2020-12) vendored in the package's slack-reference/ (its README
// says where it comes from, under which licence) and compiles the three surfaces the stand-in checks: a message's
// blocks, a modal and a home tab.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { BLOCK_KIT_SCHEMA } from '../slack-reference.js';

export type BlockKitValidators = {
  readonly blocks: ValidateFunction;
  readonly modal: ValidateFunction;
  readonly home: ValidateFunction;
};

export type SchemaError = ErrorObject;

let cached: BlockKitValidators | undefined;

export function blockKitValidators(): BlockKitValidators {
  cached ??= compile();
  return cached;
}

function compile(): BlockKitValidators {
  const schema = loadSchema();
  // strictTypes off: the schema puts `properties` without `type` inside allOf branches (valid 2020-12).
  const ajv = new Ajv2020({
    allErrors: true,
    discriminator: true,
    strictTypes: false,
    strictRequired: false,
  });
  const addFormats = addFormatsModule.default ?? addFormatsModule;
  addFormats(ajv);
  ajv.addSchema(schema);
  const get = (ref: string): ValidateFunction => {
    const validate = ajv.getSchema(ref);
    if (!validate) throw new Error(`the Block Kit schema has no ${ref}`);
    return validate;
  };
  return {
    blocks: get(schema.$id),
    modal: get(`${schema.$id}#/$defs/modal_view`),
    home: get(`${schema.$id}#/$defs/home_view`),
  };
}

type Schema = { $id: string; $defs: Record<string, SchemaNode> };
type SchemaNode = { [key: string]: unknown };

function loadSchema(): Schema {
  const path = fileURLToPath(BLOCK_KIT_SCHEMA);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(
      `the Slack stand-in needs the Block Kit schema at ${path}, which its package ships in slack-reference/`,
      {
        cause: error,
      },
    );
  }
  const schema: Schema = JSON.parse(text);
  addDiscriminators(schema, schema.$defs);
  return schema;
}

/**
 * Marks every `oneOf` whose branches differ by a constant `type` as discriminated, so a bad block reports what
 * is wrong with it instead of why it fails each of the 21 block schemas (Slack also picks the schema by type).
 */
function addDiscriminators(node: unknown, defs: Record<string, SchemaNode>): void {
  if (Array.isArray(node)) {
    for (const item of node) addDiscriminators(item, defs);
    return;
  }
  if (!isNode(node)) return;
  const branches = node.oneOf;
  if (Array.isArray(branches) && hasDistinctTypeTags(branches, defs)) {
    node.discriminator = { propertyName: 'type' };
    node.type = 'object';
  }
  for (const value of Object.values(node)) addDiscriminators(value, defs);
}

function hasDistinctTypeTags(branches: unknown[], defs: Record<string, SchemaNode>): boolean {
  const tags: unknown[] = [];
  for (const branch of branches) {
    const tag = typeTagsOf(branch, defs);
    if (tag === undefined) return false;
    tags.push(...tag);
  }
  return new Set(tags).size === tags.length;
}

function typeTagsOf(branch: unknown, defs: Record<string, SchemaNode>): unknown[] | undefined {
  const ref = isNode(branch) && typeof branch.$ref === 'string' ? branch.$ref : undefined;
  const target = ref?.startsWith('#/$defs/') ? defs[ref.slice('#/$defs/'.length)] : branch;
  if (!isNode(target) || !isNode(target.properties) || !Array.isArray(target.required)) return undefined;
  const type = target.properties.type;
  if (!target.required.includes('type') || !isNode(type)) return undefined;
  if ('const' in type) return [type.const];
  return Array.isArray(type.enum) ? type.enum : undefined;
}

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
