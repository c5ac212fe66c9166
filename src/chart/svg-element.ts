// Builds SVG markup as strings. Every attribute value and every text goes through `escapeXml`: metric names
// and titles come from the pipeline file and the artifact, so they are data, never markup.

export type SvgAttributes = Readonly<Record<string, string | number | undefined>>;

// Characters XML 1.0 does not allow at all: a renderer refuses the whole document for one of them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (character) => ENTITIES[character] ?? character);
}

/** `<name a="1" …>children</name>`, or self-closing without children. Numbers are coordinates: two decimals at most. */
export function svgElement(name: string, attributes: SvgAttributes, children?: string): string {
  const attributeText = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(
      ([key, value]) => ` ${key}="${escapeXml(typeof value === 'number' ? formatCoordinate(value) : value)}"`,
    )
    .join('');
  return children === undefined
    ? `<${name}${attributeText}/>`
    : `<${name}${attributeText}>${children}</${name}>`;
}

/** A `<text>` element whose content is escaped. */
export function svgText(attributes: SvgAttributes, text: string): string {
  return svgElement('text', attributes, escapeXml(text));
}

export function formatCoordinate(value: number): string {
  return String(Math.round(value * 100) / 100);
}
