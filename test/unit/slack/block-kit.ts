// Validates rendered Slack payloads against the Block Kit JSON Schema (draft 2020-12) the stand-in vendors and
// against the limits Slack enforces but the schema leaves to prose (50 blocks per message, context elements).
import { readFileSync } from 'node:fs';
import { BLOCK_KIT_SCHEMA } from '@promotion-bot/standin/slack-reference';
import type { ActionsBlock, Button, KnownBlock, View } from '@slack/types';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';
import type { SlackMessage } from '../../../src/slack/blocks/slack-message.js';

const schema: { $id: string } = JSON.parse(readFileSync(BLOCK_KIT_SCHEMA, 'utf8'));
// The community schema omits `type` beside some `properties`; Ajv's strict mode would refuse to compile it.
const ajv = new Ajv2020({ strict: false, allErrors: true });
const addFormats = addFormatsModule.default ?? addFormatsModule;
addFormats(ajv);
ajv.addSchema(schema);

function validator(ref: string): ValidateFunction {
  const validate = ajv.getSchema(ref);
  if (!validate) throw new Error(`no schema ${ref}`);
  return validate;
}

const validateBlocks = validator(schema.$id);
const validateModal = validator(`${schema.$id}#/$defs/modal_view`);
const validateHome = validator(`${schema.$id}#/$defs/home_view`);

function check(validate: ValidateFunction, value: unknown, what: string): void {
  const valid = validate(value);
  expect(
    valid,
    `${what} is not valid Block Kit: ${ajv.errorsText(validate.errors, { separator: '\n' })}`,
  ).toBe(true);
}

/** Schema-valid blocks that also keep Slack's per-message and per-element limits. */
export function expectValidBlocks(blocks: readonly KnownBlock[], maxBlocks = 50): void {
  check(validateBlocks, blocks, 'blocks');
  expect(blocks.length).toBeLessThanOrEqual(maxBlocks);
  for (const block of blocks) {
    if (block.type === 'section' && block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
    if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(150);
    if (block.type === 'context') {
      expect(block.elements.length).toBeLessThanOrEqual(10);
      for (const element of block.elements) {
        if ('text' in element) expect(element.text.length).toBeLessThanOrEqual(3000);
      }
    }
    if (block.type === 'actions') {
      for (const element of block.elements) {
        if (element.type === 'button') expect(element.text.text.length).toBeLessThanOrEqual(75);
      }
    }
  }
}

export function expectValidMessage(message: SlackMessage): void {
  expect(message.text.trim()).not.toBe('');
  expect(message.text.length).toBeLessThanOrEqual(3000);
  expectValidBlocks(message.blocks);
}

export function expectValidModal(view: View): void {
  check(validateModal, view, 'modal');
}

export function expectValidHome(view: View): void {
  check(validateHome, view, 'home view');
  expectValidBlocks(view.blocks.filter(isKnown), 100);
}

function isKnown(block: unknown): block is KnownBlock {
  return typeof block === 'object' && block !== null && 'type' in block;
}

/** Every piece of text a person would read in the blocks, joined by newlines. */
export function textOf(blocks: readonly unknown[]): string {
  const texts: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'text' && typeof inner === 'string') texts.push(inner);
        else visit(inner);
      }
    }
  };
  visit(blocks);
  return texts.join('\n');
}

/**
 * The text Slack parses for mentions and links: mrkdwn text objects only (plain_text is shown as typed), joined
 * by newlines. Hostile-input tests look here for raw `<!channel>` and `<@U…>`.
 */
export function mrkdwnOf(blocks: readonly unknown[]): string {
  const texts: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      if ('type' in value && value.type === 'mrkdwn' && 'text' in value && typeof value.text === 'string') {
        texts.push(value.text);
      }
      Object.values(value).forEach(visit);
    }
  };
  visit(blocks);
  return texts.join('\n');
}

/** Fails when mrkdwn (blocks or fallback text) would ping, mention or link from user-controlled input. */
export function expectInert(message: { readonly text?: string; readonly blocks: readonly unknown[] }): void {
  const parsed = `${message.text ?? ''}\n${mrkdwnOf(message.blocks)}`;
  for (const injection of ['<!channel>', '<!here>', '<@U123>', '<https://evil']) {
    expect(parsed).not.toContain(injection);
  }
}

export function actionsOf(blocks: readonly KnownBlock[]): ActionsBlock[] {
  return blocks.filter((block): block is ActionsBlock => block.type === 'actions');
}

export function buttonsOf(blocks: readonly KnownBlock[]): Button[] {
  return actionsOf(blocks).flatMap((block) => block.elements.filter((e): e is Button => e.type === 'button'));
}
