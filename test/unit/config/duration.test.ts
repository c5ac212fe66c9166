import { describe, expect, it } from 'vitest';
import { Duration, PositiveDuration, parseDuration } from '../../../src/config/duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['24h', 86_400_000],
    ['1.5h', 5_400_000],
    ['2d', 172_800_000],
    ['10 minutes', 600_000],
    ['0s', 0],
  ])('reads %s as %i milliseconds', (text, milliseconds) => {
    expect(parseDuration(text)).toEqual({ ok: true, milliseconds });
  });

  it('rejects a number without a unit and shows how to add one', () => {
    expect(parseDuration('30')).toEqual({
      ok: false,
      message: '"30" has no unit: write 30s for seconds, 30m for minutes or 30ms for milliseconds',
    });
  });

  it('rejects a negative duration', () => {
    expect(parseDuration('-5m')).toEqual({
      ok: false,
      message: '"-5m" is negative: expected a duration like 30s, 5m or 24h',
    });
  });

  it('rejects text that is not a duration', () => {
    expect(parseDuration('soon')).toEqual({
      ok: false,
      message: '"soon" is not a duration: expected a duration like 30s, 5m or 24h',
    });
  });

  it('rejects an unknown unit', () => {
    expect(parseDuration('5 fortnights')).toMatchObject({ ok: false });
  });

  it('rejects an empty duration', () => {
    expect(parseDuration('  ')).toEqual({
      ok: false,
      message: 'is empty: expected a duration like 30s, 5m or 24h',
    });
  });
});

describe('Duration', () => {
  it('turns text into milliseconds', () => {
    expect(Duration.parse('2m')).toBe(120_000);
  });

  it('explains that a bare YAML number needs a unit', () => {
    const result = Duration.safeParse(30);

    expect(result.error?.issues[0]?.message).toBe(
      '30 has no unit: write 30s for seconds, 30m for minutes or 30ms for milliseconds',
    );
  });

  it('asks for a duration when given something else', () => {
    expect(Duration.safeParse(true).error?.issues[0]?.message).toBe(
      'expected a duration like 30s, 5m or 24h',
    );
  });
});

describe('PositiveDuration', () => {
  it('rejects zero', () => {
    expect(PositiveDuration.safeParse('0s').error?.issues[0]?.message).toBe(
      'must be longer than 0: expected a duration like 30s, 5m or 24h',
    );
  });
});
