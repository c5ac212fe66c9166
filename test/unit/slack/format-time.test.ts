import { describe, expect, it } from 'vitest';
import { formatTime, plainTime } from '../../../src/slack/blocks/format.js';

describe('a time in a message', () => {
  it('is Slack date formatting that reads "today at 09:00", with a UTC fallback in the same words', () => {
    expect(formatTime('2024-03-01T09:00:30.000Z')).toBe(
      '<!date^1709283630^{date_short_pretty} at {time}|2024-03-01 at 09:00 UTC>',
    );
    expect(plainTime('2024-03-01T09:00:30.000Z')).toBe('2024-03-01 at 09:00 UTC');
  });

  it('shows something that is not a time as inert text', () => {
    expect(formatTime('<!channel> soon')).toBe('&lt;!channel&gt; soon');
  });
});
