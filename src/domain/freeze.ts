// Freeze windows: times when promotions may not enter an environment, one-off or recurring. Pure: the time comes
// in as an argument, and croner (a pure calendar computation) turns a cron expression in an IANA time zone into
// instants, daylight-saving changes included.
import { Cron } from 'croner';
import type { Hold } from './promotion.js';

export type FreezeSchedule =
  | { readonly kind: 'once'; readonly from: string; readonly until: string }
  | {
      readonly kind: 'recurring';
      /** Five fields: minute hour day-of-month month day-of-week. */
      readonly cron: string;
      readonly durationMs: number;
      /** IANA name, e.g. Europe/Berlin. */
      readonly timezone: string;
    };

export type FreezeWindow = {
  readonly name: string;
  /** The names of the environments it freezes. */
  readonly environments: readonly string[];
  readonly schedule: FreezeSchedule;
};

/** One time a window is open: [opensAt, endsAt). */
export type FreezeOpening = { readonly name: string; readonly opensAt: string; readonly endsAt: string };

/** Who a freeze's hold is by, in notices and on the gate. */
export const FREEZE_BY = 'promotion-bot';

/** At most this many overlapping occurrences are chained into one opening (a cron that fires every minute). */
const MAX_CHAIN = 1000;

function cronOf(schedule: Extract<FreezeSchedule, { kind: 'recurring' }>): Cron {
  return new Cron(schedule.cron, { timezone: schedule.timezone, paused: true });
}

/** The window's opening that contains `at`, if it is open then. */
export function openingAt(window: FreezeWindow, at: Date): FreezeOpening | undefined {
  const { schedule } = window;
  const t = at.getTime();
  if (schedule.kind === 'once') {
    return Date.parse(schedule.from) <= t && t < Date.parse(schedule.until)
      ? { name: window.name, opensAt: schedule.from, endsAt: schedule.until }
      : undefined;
  }
  // An opening that contains `at` began in (at - duration, at]: the first occurrence after at - duration.
  const cron = cronOf(schedule);
  const first = cron.nextRun(new Date(t - schedule.durationMs));
  if (!first || first.getTime() > t) return undefined;
  return {
    name: window.name,
    opensAt: first.toISOString(),
    endsAt: chainedEnd(cron, first, schedule.durationMs),
  };
}

/** When overlapping occurrences keep the window open: the end of the last one that starts before the end. */
function chainedEnd(cron: Cron, opened: Date, durationMs: number): string {
  let end = opened.getTime() + durationMs;
  let occurrence: Date | null = opened;
  for (let chained = 0; chained < MAX_CHAIN && occurrence; chained++) {
    occurrence = cron.nextRun(occurrence);
    if (!occurrence || occurrence.getTime() >= end) break;
    end = occurrence.getTime() + durationMs;
  }
  return new Date(end).toISOString();
}

/** The window's next opening that begins after `at` (not one open now). */
export function nextOpening(window: FreezeWindow, at: Date): FreezeOpening | undefined {
  const { schedule } = window;
  if (schedule.kind === 'once') {
    return Date.parse(schedule.from) > at.getTime()
      ? { name: window.name, opensAt: schedule.from, endsAt: schedule.until }
      : undefined;
  }
  const cron = cronOf(schedule);
  // An occurrence inside the opening open now is part of it: the next one starts at its end at the earliest.
  const open = openingAt(window, at);
  const next = cron.nextRun(open ? new Date(Date.parse(open.endsAt) - 1) : at);
  return next
    ? {
        name: window.name,
        opensAt: next.toISOString(),
        endsAt: chainedEnd(cron, next, schedule.durationMs),
      }
    : undefined;
}

/** The windows that freeze `environment` at `at`; of several, the one that ends last is what keeps it out. */
export function frozenAt(
  windows: readonly FreezeWindow[],
  environment: string,
  at: Date,
): FreezeOpening | undefined {
  let last: FreezeOpening | undefined;
  for (const window of windows) {
    if (!window.environments.includes(environment)) continue;
    const open = openingAt(window, at);
    if (open && (!last || open.endsAt > last.endsAt)) last = open;
  }
  return last;
}

/** The freeze as the hold a promotion waits behind: it names the window and lifts itself when it ends. */
export function freezeHold(opening: FreezeOpening, environment: string, at: string): Hold {
  return {
    environment,
    reason: `freeze window "${opening.name}"`,
    by: FREEZE_BY,
    at,
    until: opening.endsAt,
    freeze: opening.name,
  };
}

/** The windows open at `at` and the next opening of each within `horizonMs`, soonest first: App Home's calendar. */
export function freezeCalendar(
  windows: readonly FreezeWindow[],
  at: Date,
  horizonMs: number,
): {
  readonly open: readonly (FreezeOpening & { readonly environments: readonly string[] })[];
  readonly next: readonly (FreezeOpening & { readonly environments: readonly string[] })[];
} {
  const open = windows.flatMap((window) => {
    const opening = openingAt(window, at);
    return opening ? [{ ...opening, environments: window.environments }] : [];
  });
  const next = windows
    .flatMap((window) => {
      const opening = nextOpening(window, at);
      return opening && Date.parse(opening.opensAt) - at.getTime() <= horizonMs
        ? [{ ...opening, environments: window.environments }]
        : [];
    })
    .sort((a, b) => a.opensAt.localeCompare(b.opensAt));
  return { open: open.sort((a, b) => a.endsAt.localeCompare(b.endsAt)), next };
}

/** A window of `environment` that opens after `at` and no later than `withinMs` from it: the gate warns of it. */
export function opensWithin(
  windows: readonly FreezeWindow[],
  environment: string,
  at: Date,
  withinMs: number,
): FreezeOpening | undefined {
  return windows
    .filter((window) => window.environments.includes(environment))
    .flatMap((window) => {
      const opening = nextOpening(window, at);
      return opening && Date.parse(opening.opensAt) - at.getTime() <= withinMs ? [opening] : [];
    })
    .sort((a, b) => a.opensAt.localeCompare(b.opensAt))[0];
}
