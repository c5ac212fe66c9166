import { describe, expect, it } from 'vitest';
import {
  type FreezeWindow,
  freezeCalendar,
  freezeHold,
  frozenAt,
  nextOpening,
  openingAt,
  opensWithin,
} from '../../../src/domain/freeze.js';

const HOUR = 3600_000;

const yearEnd: FreezeWindow = {
  name: 'year-end',
  environments: ['production'],
  schedule: { kind: 'once', from: '2026-12-21T00:00:00.000Z', until: '2027-01-04T00:00:00.000Z' },
};

/** Friday 18:00 in Berlin for 62 hours: to Monday 08:00 Berlin time, whatever the offset that week. */
const weekend: FreezeWindow = {
  name: 'weekend',
  environments: ['production'],
  schedule: { kind: 'recurring', cron: '0 18 * * FRI', durationMs: 62 * HOUR, timezone: 'Europe/Berlin' },
};

const at = (iso: string) => new Date(iso);

describe('a one-off window', () => {
  it('is open from its start up to, not including, its end', () => {
    expect(openingAt(yearEnd, at('2026-12-20T23:59:59.999Z'))).toBeUndefined();
    expect(openingAt(yearEnd, at('2026-12-21T00:00:00.000Z'))).toEqual({
      name: 'year-end',
      opensAt: '2026-12-21T00:00:00.000Z',
      endsAt: '2027-01-04T00:00:00.000Z',
    });
    expect(openingAt(yearEnd, at('2027-01-04T00:00:00.000Z'))).toBeUndefined();
  });

  it('opens next only while it has not begun', () => {
    expect(nextOpening(yearEnd, at('2026-12-01T00:00:00Z'))?.opensAt).toBe('2026-12-21T00:00:00.000Z');
    expect(nextOpening(yearEnd, at('2026-12-22T00:00:00Z'))).toBeUndefined();
  });
});

describe('a recurring window in a time zone', () => {
  it('opens at the cron time in its zone: 17:00 UTC in winter, 16:00 UTC in summer', () => {
    expect(openingAt(weekend, at('2026-01-09T17:00:00Z'))?.opensAt).toBe('2026-01-09T17:00:00.000Z');
    expect(openingAt(weekend, at('2026-01-09T16:59:59Z'))).toBeUndefined();
    expect(openingAt(weekend, at('2026-06-12T16:00:00Z'))?.opensAt).toBe('2026-06-12T16:00:00.000Z');
  });

  it('stays open its duration, across a daylight-saving change (opens in summer time, ends in winter time)', () => {
    // Friday 23 October 2026, 18:00 CEST = 16:00 UTC; clocks go back on Sunday 25 October.
    const opening = openingAt(weekend, at('2026-10-25T12:00:00Z'));
    expect(opening).toEqual({
      name: 'weekend',
      opensAt: '2026-10-23T16:00:00.000Z',
      endsAt: '2026-10-26T06:00:00.000Z',
    });
    expect(openingAt(weekend, at('2026-10-26T06:00:00Z'))).toBeUndefined();
  });

  it('is closed between openings and says when it opens next', () => {
    expect(openingAt(weekend, at('2026-01-14T12:00:00Z'))).toBeUndefined();
    expect(nextOpening(weekend, at('2026-01-14T12:00:00Z'))).toEqual({
      name: 'weekend',
      opensAt: '2026-01-16T17:00:00.000Z',
      endsAt: '2026-01-19T07:00:00.000Z',
    });
  });

  it('chains openings that overlap into one that ends with the last', () => {
    const everyHourForTwo: FreezeWindow = {
      name: 'busy',
      environments: ['production'],
      schedule: { kind: 'recurring', cron: '0 9-11 * * *', durationMs: 2 * HOUR, timezone: 'UTC' },
    };
    expect(openingAt(everyHourForTwo, at('2026-01-05T09:30:00Z'))).toEqual({
      name: 'busy',
      opensAt: '2026-01-05T09:00:00.000Z',
      endsAt: '2026-01-05T13:00:00.000Z',
    });
  });
});

describe('the next opening of a window open now', () => {
  /** Thursday and Friday 17:00 for 40 hours: Friday's opening starts inside Thursday's, so one runs to Sunday. */
  const longWeekend: FreezeWindow = {
    name: 'long-weekend',
    environments: ['production'],
    schedule: { kind: 'recurring', cron: '0 17 * * THU,FRI', durationMs: 40 * HOUR, timezone: 'UTC' },
  };

  it('begins after the one open now ends, not at an occurrence inside it', () => {
    const thursdayEvening = at('2026-01-15T20:00:00Z');

    expect(openingAt(longWeekend, thursdayEvening)).toEqual({
      name: 'long-weekend',
      opensAt: '2026-01-15T17:00:00.000Z',
      endsAt: '2026-01-18T09:00:00.000Z',
    });
    expect(nextOpening(longWeekend, thursdayEvening)).toEqual({
      name: 'long-weekend',
      opensAt: '2026-01-22T17:00:00.000Z',
      endsAt: '2026-01-25T09:00:00.000Z',
    });
    expect(freezeCalendar([longWeekend], thursdayEvening, 2 * 24 * HOUR).next).toEqual([]);
  });

  it('may begin the moment the one open now ends', () => {
    const backToBack: FreezeWindow = {
      name: 'back-to-back',
      environments: ['production'],
      schedule: { kind: 'recurring', cron: '0 */2 * * *', durationMs: 2 * HOUR, timezone: 'UTC' },
    };

    expect(nextOpening(backToBack, at('2026-01-05T09:30:00Z'))).toMatchObject({
      opensAt: '2026-01-05T10:00:00.000Z',
    });
  });
});

describe('what freezes an environment', () => {
  const staging: FreezeWindow = { ...yearEnd, name: 'staging freeze', environments: ['staging'] };
  const longer: FreezeWindow = {
    ...yearEnd,
    name: 'long',
    schedule: { kind: 'once', from: '2026-12-01T00:00:00.000Z', until: '2027-02-01T00:00:00.000Z' },
  };

  it('is a window of that environment open now; of several, the one that ends last', () => {
    expect(frozenAt([staging], 'production', at('2026-12-25T00:00:00Z'))).toBeUndefined();
    expect(frozenAt([yearEnd, longer], 'production', at('2026-12-25T00:00:00Z'))?.name).toBe('long');
    expect(frozenAt([yearEnd], 'production', at('2027-01-05T00:00:00Z'))).toBeUndefined();
  });

  it('becomes a hold that names the window, says until when, and lifts itself then', () => {
    const opening = openingAt(yearEnd, at('2026-12-25T00:00:00Z'));
    if (!opening) throw new Error('expected the window to be open');
    expect(freezeHold(opening, 'production', '2026-12-25T00:00:00.000Z')).toEqual({
      environment: 'production',
      reason: 'freeze window "year-end"',
      by: 'promotion-bot',
      at: '2026-12-25T00:00:00.000Z',
      until: '2027-01-04T00:00:00.000Z',
      freeze: 'year-end',
    });
  });

  it('warns of a window that opens within a rollout’s expected duration, not of one further away', () => {
    const thursday = at('2026-01-16T16:30:00Z');
    expect(opensWithin([weekend], 'production', thursday, HOUR)?.opensAt).toBe('2026-01-16T17:00:00.000Z');
    expect(opensWithin([weekend], 'production', thursday, 10 * 60_000)).toBeUndefined();
    expect(opensWithin([weekend], 'staging', thursday, HOUR)).toBeUndefined();
  });

  it('lists the windows open now and the next ones within the horizon, soonest first', () => {
    const calendar = freezeCalendar([weekend, yearEnd], at('2026-12-19T12:00:00Z'), 7 * 24 * HOUR);
    expect(calendar.open.map((opening) => opening.name)).toEqual(['weekend']);
    expect(calendar.next.map((opening) => [opening.name, opening.opensAt])).toEqual([
      ['year-end', '2026-12-21T00:00:00.000Z'],
      ['weekend', '2026-12-25T17:00:00.000Z'],
    ]);
  });
});
