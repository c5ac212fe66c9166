import { describe, expect, it } from 'vitest';
import { sectionsOf, withSection } from '../../../bench/sections.js';

const MAIN = '# Benchmarks\n\n| a | b |\n';
const SOAK = '<!-- retention-soak -->\n## Retention soak\nold curve\n<!-- /retention-soak -->';

describe('the benchmarks file written in parts', () => {
  it('finds every separate part, and nothing of the main table', () => {
    const text = `${MAIN}\n${SOAK}\n\n<!-- episodes -->\n## Episodes\n<!-- /episodes -->\n`;
    expect(sectionsOf(text)).toEqual([SOAK, '<!-- episodes -->\n## Episodes\n<!-- /episodes -->']);
  });

  it('does not take an unclosed or mismatched marker for a section', () => {
    expect(sectionsOf(`${MAIN}<!-- episodes -->\nhalf written\n<!-- /retention-soak -->`)).toEqual([]);
  });

  it('replaces a part in place and leaves the rest as it was', () => {
    const text = `${MAIN}\n${SOAK}\n\ntrailing words\n`;
    const next = withSection(text, 'retention-soak', '## Retention soak\nnew curve\n');
    expect(next).toBe(
      `${MAIN}\n<!-- retention-soak -->\n## Retention soak\nnew curve\n<!-- /retention-soak -->\n\ntrailing words\n`,
    );
  });

  it('appends a part the file does not have yet', () => {
    expect(withSection(MAIN, 'episodes', '## Episodes')).toBe(
      '# Benchmarks\n\n| a | b |\n\n<!-- episodes -->\n## Episodes\n<!-- /episodes -->\n',
    );
  });
});
