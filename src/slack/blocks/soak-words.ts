import { formatTime } from './format.js';

// A soak in the words people use: `42 min left, until today at 14:05`, `soaked 1h`.

/** `42 min left, until today at 14:05`; `leftMs` is rounded up, so it never says 0 while the soak runs. */
export function soakLeft(leftMs: number, until: string): string {
  if (leftMs <= 0) return `over ${formatTime(until)}, moving on`;
  return `${soakLength(leftMs, Math.ceil)} left, until ${formatTime(until)}`;
}

/** `3s`, `42 min`, `1h`, `2h 5 min`: how long a soak is or was. */
export function soakLength(ms: number, round: (value: number) => number = Math.round): string {
  const seconds = round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const rest = minutes % 60;
  return rest === 0 ? `${Math.floor(minutes / 60)}h` : `${Math.floor(minutes / 60)}h ${rest} min`;
}
