// Colours and type of the chart: blue for the series, red for the threshold and whatever breaches it.

export const CHART_COLORS = {
  background: '#ffffff',
  title: '#111827',
  text: '#4b5563',
  grid: '#e5e7eb',
  axis: '#9ca3af',
  series: '#2563eb',
  breach: '#dc2626',
  breachZone: '#fef2f2',
  noData: '#9ca3af',
  marker: '#6b7280',
} as const;

/** DejaVu Sans is what Debian images have; resvg picks the first family it finds. */
export const CHART_FONT = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif";

/** A rough text width for layout (no font metrics server-side): DejaVu Sans averages ~0.6 em. */
export function textWidth(text: string, fontSize: number): number {
  return [...text].length * fontSize * 0.6;
}

/** Shortens text to fit `width` pixels, ending with an ellipsis. */
export function fitText(text: string, fontSize: number, width: number): string {
  const characters = [...text];
  const fits = Math.max(1, Math.floor(width / (fontSize * 0.6)));
  return characters.length <= fits ? text : `${characters.slice(0, fits - 1).join('')}…`;
}
