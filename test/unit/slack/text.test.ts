import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeBlock } from '../../../src/slack/blocks/code-block.js';
import {
  escapeMrkdwn,
  inlineCode,
  truncate,
  truncateMrkdwn,
  truncateStart,
} from '../../../src/slack/blocks/text.js';

describe('escapeMrkdwn', () => {
  it('turns Slack control characters into entities so mentions and links stay inert', () => {
    expect(escapeMrkdwn('<!channel> <@U123> a&b')).toBe('&lt;!channel&gt; &lt;@U123&gt; a&amp;b');
  });

  it('never leaves a raw < or > behind, whatever the input', () => {
    fc.assert(fc.property(fc.string(), (text) => !/[<>]/.test(escapeMrkdwn(text))));
  });
});

describe('truncate', () => {
  it('keeps short text as it is and ends long text with an ellipsis within the limit', () => {
    expect(truncate('short', 10)).toBe('short');
    const cut = truncate('x'.repeat(200), 150);
    expect(cut).toHaveLength(150);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('does not split an emoji (a surrogate pair) in two', () => {
    const cut = truncate(`${'a'.repeat(8)}😀😀😀`, 10);
    expect(cut).toBe(`${'a'.repeat(8)}…`);
  });

  it('keeps the end of the text when asked to', () => {
    expect(truncateStart('first line, last words', 11)).toBe('…last words');
  });
});

describe('truncateMrkdwn', () => {
  it('never stops inside a mention or an entity it would break', () => {
    expect(truncateMrkdwn(`${'a'.repeat(10)}<@U0CAROL> more`, 16)).toBe(`${'a'.repeat(10)}…`);
    expect(truncateMrkdwn(`${'a'.repeat(10)}&amp; more`, 14)).toBe(`${'a'.repeat(10)}…`);
  });

  it('stays within the limit for any text', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.integer({ min: 1, max: 50 }),
        (text, max) => truncateMrkdwn(text, max).length <= max,
      ),
    );
  });
});

describe('inlineCode', () => {
  it('cannot be closed early by a backtick in the value', () => {
    expect(inlineCode('a`b')).toBe('`aˋb`');
  });
});

describe('codeBlock', () => {
  it('keeps the last lines of long output and says how many it left out', () => {
    const output = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`);
    const block = codeBlock(output, { maxLines: 5 });
    expect(block).toContain('line 100');
    expect(block).toContain('line 96');
    expect(block).not.toContain('line 95\n');
    expect(block).toContain('95 earlier lines not shown');
  });

  it('fits 10k characters of output into a section, keeping the end', () => {
    const block = codeBlock([`${'x'.repeat(10_000)}THE END`]);
    expect(block.length).toBeLessThanOrEqual(3000);
    expect(block).toContain('THE END');
    expect(block.startsWith('```\n')).toBe(true);
    expect(block.endsWith('\n```')).toBe(true);
  });

  it('neutralises backticks and escapes mentions so output cannot break out of the block', () => {
    const block = codeBlock(['```', '<!channel> `rm -rf`']);
    const inner = block.slice(4, -4);
    expect(inner).not.toContain('`');
    expect(inner).toContain('&lt;!channel&gt;');
  });

  it('strips terminal colour codes and is empty for empty output', () => {
    expect(codeBlock(['\u001b[31mred\u001b[0m'])).toBe('```\nred\n```');
    expect(codeBlock([])).toBe('');
    expect(codeBlock(['', '  '])).toBe('');
  });

  it('always opens and closes its fence within the limit', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 500 }), { maxLength: 50 }), (lines) => {
        const block = codeBlock(lines);
        return (
          block === '' ||
          (block.length <= 3000 &&
            block.startsWith('```\n') &&
            block.endsWith('\n```') &&
            !block.slice(4, -4).includes('`'))
        );
      }),
    );
  });
});
