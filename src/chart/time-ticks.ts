// The time axis: relative labels counted back from the end of the analysis window (`-2m`, `-1m`, `now`).

const STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600, 43_200, 86_400].map(
  (seconds) => seconds * 1000,
);
const MAX_TICKS = 5;

export type TimeTick = { readonly at: number; readonly label: string };

/** Ticks at whole steps before `end`, at most five, the last one `now`. */
export function timeTicks(start: number, end: number): TimeTick[] {
  const span = Math.max(0, end - start);
  const step = STEPS_MS.find((candidate) => Math.floor(span / candidate) + 1 <= MAX_TICKS);
  if (step === undefined || span < 1000) return [{ at: end, label: 'now' }];
  const count = Math.floor(span / step);
  return Array.from({ length: count + 1 }, (_, index) => {
    const back = (count - index) * step;
    return { at: end - back, label: back === 0 ? 'now' : `-${formatDuration(back)}` };
  });
}

/** `45s`, `2m`, `1m30s`, `6h`. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600)
    return seconds % 60 === 0 ? `${seconds / 60}m` : `${Math.floor(seconds / 60)}m${seconds % 60}s`;
  const minutes = Math.round(seconds / 60);
  return minutes % 60 === 0 ? `${minutes / 60}h` : `${Math.floor(minutes / 60)}h${minutes % 60}m`;
}
