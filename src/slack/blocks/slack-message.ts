import type { ContextBlock, DividerBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import { LIMITS, nonEmpty, stripInvisible, truncate, truncateMrkdwn } from './text.js';

// Every mrkdwn text object is `verbatim`: Slack then links nothing by itself (bare URLs, #channels, @names), so
// only the links and mentions we write on purpose are live; user text inside is escaped (`escapeMrkdwn`).

/** A chat.postMessage / chat.update payload: `text` is the notification fallback. */
export type SlackMessage = { text: string; blocks: KnownBlock[] };

/** Builds a message within Slack's limits: fallback text cut to size, at most 50 blocks. */
export function slackMessage(text: string, blocks: readonly KnownBlock[]): SlackMessage {
  return {
    text: truncateMrkdwn(nonEmpty(text), LIMITS.fallbackText),
    blocks: limitBlocks(blocks, LIMITS.messageBlocks),
  };
}

/**
 * At most `max` blocks. The overflow is replaced by a note; the last block stays, because that is where a
 * message keeps what a person acts on (the gate's buttons).
 */
export function limitBlocks(blocks: readonly KnownBlock[], max: number): KnownBlock[] {
  if (blocks.length <= max) return [...blocks];
  const last = blocks.at(-1);
  const head = blocks.slice(0, max - 2);
  const hidden = blocks.length - head.length - 1;
  return [...head, context([`… ${hidden} more not shown`]), ...(last ? [last] : [])];
}

export function section(mrkdwn: string): SectionBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncateMrkdwn(nonEmpty(mrkdwn), LIMITS.sectionText), verbatim: true },
  };
}

/** A section of label/value pairs, shown in two columns. */
export function fields(pairs: readonly (readonly [label: string, mrkdwn: string])[]): SectionBlock {
  return {
    type: 'section',
    fields: pairs.slice(0, 10).map(([label, value]) => ({
      type: 'mrkdwn',
      text: truncateMrkdwn(`*${label}*\n${nonEmpty(value)}`, LIMITS.sectionField),
      verbatim: true,
    })),
  };
}

/** Plain text: Slack parses nothing in it, so it needs no escaping, only the length limit and no invisibles. */
export function header(text: string): HeaderBlock {
  return {
    type: 'header',
    text: {
      type: 'plain_text',
      text: truncate(nonEmpty(stripInvisible(text)), LIMITS.headerText),
      emoji: true,
    },
  };
}

/** Small grey lines; empty parts are dropped, at most 10 elements. */
export function context(parts: readonly string[]): ContextBlock {
  const elements = parts
    .filter((part) => part.trim() !== '')
    .slice(0, LIMITS.contextElements)
    .map((part) => ({
      type: 'mrkdwn' as const,
      text: truncateMrkdwn(part, LIMITS.contextText),
      verbatim: true,
    }));
  return { type: 'context', elements: elements.length > 0 ? elements : [{ type: 'mrkdwn', text: '-' }] };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

/** Lines joined into as few sections as fit Slack's section limit. */
export function sections(lines: readonly string[]): SectionBlock[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of lines) {
    const next = current === '' ? line : `${current}\n${line}`;
    if (next.length > LIMITS.sectionText && current !== '') {
      chunks.push(current);
      current = line;
    } else {
      current = next;
    }
  }
  if (current !== '') chunks.push(current);
  return chunks.map(section);
}
