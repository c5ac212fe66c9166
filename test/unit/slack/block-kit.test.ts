import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { expectValidBlocks } from './block-kit.js';

// The helper every renderer test relies on must itself reject what Slack rejects.
describe('expectValidBlocks', () => {
  it('accepts a plain section', () => {
    expectValidBlocks([{ type: 'section', text: { type: 'mrkdwn', text: 'hello' } }]);
  });

  it('refuses a section with empty text', () => {
    expect(() => expectValidBlocks([{ type: 'section', text: { type: 'mrkdwn', text: '' } }])).toThrow(
      /not valid Block Kit/,
    );
  });

  it('refuses a button whose text is over 75 characters', () => {
    const blocks: KnownBlock[] = [
      {
        type: 'actions',
        elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'x'.repeat(76) } }],
      },
    ];
    expect(() => expectValidBlocks(blocks)).toThrow();
  });

  it('refuses more than 50 blocks in a message', () => {
    const blocks: KnownBlock[] = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect(() => expectValidBlocks(blocks)).toThrow();
  });
});
