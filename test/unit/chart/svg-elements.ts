// Reads back the elements of the chart's SVG, enough for tests to check what is drawn where.

export type SvgNode = {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Raw (still escaped) text content of a `<text>` element. */
  readonly text: string;
};

const ELEMENT = /<([a-z]+)((?:\s+[a-zA-Z][a-zA-Z0-9:-]*="[^"]*")*)\s*(\/>|>([^<]*))/g;
const ATTRIBUTE = /([a-zA-Z][a-zA-Z0-9:-]*)="([^"]*)"/g;

export function svgNodes(svg: string): SvgNode[] {
  return [...svg.matchAll(ELEMENT)].map((match) => ({
    name: match[1] ?? '',
    attributes: Object.fromEntries([...(match[2] ?? '').matchAll(ATTRIBUTE)].map((a) => [a[1], a[2]])),
    text: match[4] ?? '',
  }));
}

export function nodesOfClass(svg: string, className: string): SvgNode[] {
  return svgNodes(svg).filter((node) => (node.attributes.class ?? '').split(' ').includes(className));
}

export function numberOf(node: SvgNode | undefined, attribute: string): number {
  const value = node?.attributes[attribute];
  if (value === undefined) throw new Error(`no ${attribute} on ${node?.name ?? 'a missing element'}`);
  return Number(value);
}

/** The value axis as drawn: a function from value to y, fitted through the first and last grid lines. */
export function drawnValueScale(svg: string): (value: number) => number {
  const ticks = nodesOfClass(svg, 'tick');
  const first = ticks[0];
  const last = ticks.at(-1);
  const [v0, y0, v1, y1] = [
    numberOf(first, 'data-value'),
    numberOf(first, 'y1'),
    numberOf(last, 'data-value'),
    numberOf(last, 'y1'),
  ];
  return (value) => y0 + ((value - v0) / (v1 - v0)) * (y1 - y0);
}

/** Width and height from a PNG's IHDR chunk (bytes 16-23, big-endian). */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('no IHDR chunk where a PNG has it');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
