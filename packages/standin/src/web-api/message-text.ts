// Reading a stored message the way a person would: its words and its buttons.
import type { Payload } from './types.js';

type HasBlocks = { readonly text?: string; readonly blocks: readonly Payload[] };

/** The message's text and every piece of text in its blocks, joined by newlines. */
export function textOf(message: HasBlocks): string {
  const texts: string[] = message.text ? [message.text] : [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'text' && typeof inner === 'string') texts.push(inner);
      else visit(inner);
    }
  };
  visit(message.blocks);
  return texts.join('\n');
}

export type ButtonOf = {
  readonly actionId: string;
  readonly blockId?: string;
  readonly value?: string;
  readonly text: string;
  readonly style?: string;
};

/** Every button in the message (in actions blocks and section accessories), in order. */
export function buttonsOf(message: HasBlocks): ButtonOf[] {
  const buttons: ButtonOf[] = [];
  for (const block of message.blocks) {
    const elements: unknown[] = [...(Array.isArray(block.elements) ? block.elements : []), block.accessory];
    for (const element of elements) {
      if (!isButton(element)) continue;
      buttons.push({
        actionId: element.action_id,
        text: element.text?.text ?? '',
        ...(typeof block.block_id === 'string' ? { blockId: block.block_id } : {}),
        ...(typeof element.value === 'string' ? { value: element.value } : {}),
        ...(typeof element.style === 'string' ? { style: element.style } : {}),
      });
    }
  }
  return buttons;
}

function isButton(element: unknown): element is Payload & { action_id: string } {
  return (
    typeof element === 'object' &&
    element !== null &&
    'type' in element &&
    element.type === 'button' &&
    'action_id' in element &&
    typeof element.action_id === 'string'
  );
}
