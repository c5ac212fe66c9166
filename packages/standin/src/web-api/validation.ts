// What Slack checks before it accepts a message or a view: the Block Kit schema plus the limits its docs state
// in prose (50 blocks per message, 40,000 characters of text, unique block_ids, …).
import { blockKitValidators } from './block-kit-schema.js';
import { toSlackErrors } from './schema-errors.js';
import type { Payload } from './types.js';

export type PayloadCheck = { readonly ok: true } | { readonly ok: false; error: string; errors: string[] };

const MAX_MESSAGE_BLOCKS = 50;
const MAX_TEXT = 40_000;
const MAX_ATTACHMENTS = 100;

const OK: PayloadCheck = { ok: true };

/** A message for chat.postMessage/postEphemeral/update or a response URL. */
export function checkMessage(message: Payload, options: { requireContent: boolean }): PayloadCheck {
  const { blocks, attachments, text } = message;
  if (blocks !== undefined && !Array.isArray(blocks)) {
    return fail('invalid_blocks_format', ['must provide an array [json-pointer:/blocks]']);
  }
  if (attachments !== undefined && !Array.isArray(attachments)) {
    return fail('invalid_attachments', ['must provide an array [json-pointer:/attachments]']);
  }
  if (text !== undefined && typeof text !== 'string')
    return fail('invalid_arguments', ['text must be a string']);
  const errors = [...checkBlocks(blocks, '/blocks', MAX_MESSAGE_BLOCKS)];
  attachments?.forEach((attachment: Payload, index: number) => {
    errors.push(...checkBlocks(attachment?.blocks, `/attachments/${index}/blocks`, MAX_MESSAGE_BLOCKS));
  });
  if (errors.length > 0) return fail('invalid_blocks', errors);
  if ((attachments?.length ?? 0) > MAX_ATTACHMENTS) return fail('too_many_attachments', []);
  if (typeof text === 'string' && text.length > MAX_TEXT) {
    return fail('msg_too_long', [`must be less than ${MAX_TEXT + 1} characters [json-pointer:/text]`]);
  }
  const hasContent = Boolean(text) || (blocks?.length ?? 0) > 0 || (attachments?.length ?? 0) > 0;
  if (options.requireContent && !hasContent)
    return fail('no_text', ['must provide text, blocks or attachments']);
  return OK;
}

/** A view for views.open/push/update (modal) or views.publish (home). */
export function checkView(view: unknown, type: 'modal' | 'home'): PayloadCheck {
  if (typeof view !== 'object' || view === null || Array.isArray(view)) {
    return fail('invalid_arguments', ['must provide an object [json-pointer:/view]']);
  }
  const validators = blockKitValidators();
  const validate = type === 'modal' ? validators.modal : validators.home;
  const errors = validate(view) ? [] : toSlackErrors(validate.errors, '/view');
  const blocks: unknown = 'blocks' in view ? view.blocks : undefined;
  if (Array.isArray(blocks)) errors.push(...checkIds(blocks, '/view/blocks'));
  return errors.length > 0 ? fail('invalid_arguments', errors) : OK;
}

function checkBlocks(blocks: unknown, pointer: string, maxBlocks: number): string[] {
  if (blocks === undefined || (Array.isArray(blocks) && blocks.length === 0)) return [];
  const errors: string[] = [];
  if (Array.isArray(blocks) && blocks.length > maxBlocks) {
    errors.push(`must be less than ${maxBlocks + 1} items [json-pointer:${pointer}]`);
  }
  const validate = blockKitValidators().blocks;
  if (!validate(blocks)) errors.push(...toSlackErrors(validate.errors, pointer));
  if (Array.isArray(blocks)) errors.push(...checkIds(blocks, pointer));
  return errors;
}

/** block_id must be unique in a message or view, action_id unique within its block. */
function checkIds(blocks: unknown[], pointer: string): string[] {
  const errors: string[] = [];
  const blockIds = new Set<string>();
  blocks.forEach((block, index) => {
    if (!isObject(block)) return;
    if (typeof block.block_id === 'string') {
      if (blockIds.has(block.block_id))
        errors.push(`duplicate block_id [json-pointer:${pointer}/${index}/block_id]`);
      blockIds.add(block.block_id);
    }
    const actionIds = new Set<string>();
    for (const element of elementsOf(block)) {
      if (typeof element.action_id !== 'string') continue;
      if (actionIds.has(element.action_id)) {
        errors.push(`duplicate action_id: ${element.action_id} [json-pointer:${pointer}/${index}]`);
      }
      actionIds.add(element.action_id);
    }
  });
  return errors;
}

function elementsOf(block: Payload): Payload[] {
  const elements: unknown[] = [
    ...(Array.isArray(block.elements) ? block.elements : []),
    block.accessory,
    block.element,
  ];
  return elements.filter(isObject);
}

function isObject(value: unknown): value is Payload {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(error: string, errors: string[]): PayloadCheck {
  return { ok: false, error, errors };
}
