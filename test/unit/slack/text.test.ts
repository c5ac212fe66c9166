import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeBlock } from '../../../src/slack/blocks/code-block.js';
import { context, fields, header, section } from '../../../src/slack/blocks/slack-message.js';
import {
  escapeMrkdwn,
  inlineCode,
  stripInvisible,
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

describe('user text in mrkdwn', () => {
  const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
  const MARKS = ['\u200e', '\u200f', '\u061c', '\u200b', '\u2060', '\ufeff'];
  const CONTROLS = [
    ...Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)).filter(
      (c) => c !== '\n' && c !== '\t',
    ),
    ...Array.from({ length: 33 }, (_, offset) => String.fromCharCode(0x7f + offset)),
  ];

  it.each([
    ['a channel ping', '<!channel>', '&lt;!channel&gt;'],
    ['@here and @everyone', '<!here> <!everyone>', '&lt;!here&gt; &lt;!everyone&gt;'],
    ['a user mention', '<@U0ALICE>', '&lt;@U0ALICE&gt;'],
    ['a group mention', '<!subteam^S0RELEASE>', '&lt;!subteam^S0RELEASE&gt;'],
    ['a disguised link', '<http://evil.example|docs>', '&lt;http://evil.example|docs&gt;'],
    ['a channel link', '<#C0DEPLOYS>', '&lt;#C0DEPLOYS&gt;'],
    ['a date token', '<!date^0^{date}|x>', '&lt;!date^0^{date}|x&gt;'],
    ['an entity already escaped', '&lt;!channel&gt;', '&amp;lt;!channel&amp;gt;'],
    ['a bare ampersand', 'R&D', 'R&amp;D'],
  ])('shows %s as typed', (_, input, expected) => {
    expect(escapeMrkdwn(input)).toBe(expected);
  });

  it('removes every bidi override, embedding, isolate and direction mark', () => {
    for (const c of [...BIDI, ...MARKS])
      expect(escapeMrkdwn(`txt${c}.exe`), c.codePointAt(0)?.toString(16)).toBe('txt.exe');
  });

  it('removes every control character but tab and newline', () => {
    for (const c of CONTROLS) expect(stripInvisible(`a${c}b`), c.charCodeAt(0).toString(16)).toBe('ab');
    expect(stripInvisible('line one\n\tline two')).toBe('line one\n\tline two');
  });

  it('keeps what a reader sees: letters of any script, emoji and the joiner inside them', () => {
    const text = 'чекаут ünïcödé שלום 👩‍👩‍👧 🚀';
    expect(escapeMrkdwn(text)).toBe(text);
  });

  it('never leaves a bidi override or a raw < behind, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        (text) => !/[<>\u202a-\u202e\u2066-\u2069]/.test(escapeMrkdwn(text)),
      ),
    );
  });

  it('is shown in verbatim text objects, so Slack links no bare URL or name by itself', () => {
    const texts = [
      section('see https://evil.example').text,
      ...(fields([['Reason', 'x']]).fields ?? []),
      ...context(['y']).elements,
    ];
    for (const text of texts) expect(text).toMatchObject({ type: 'mrkdwn', verbatim: true });
  });

  it('loses its invisible characters in plain-text headers too', () => {
    expect(header('shop \u202e1.0.0').text.text).toBe('shop 1.0.0');
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
