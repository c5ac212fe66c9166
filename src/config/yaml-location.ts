// Finds where a path of the parsed value lives in the YAML source, and the reverse.
import { type Document, isAlias, isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';

export type PathSegment = string | number;

type Where = 'value' | 'key';

function keyText(pair: Pair): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined;
}

function startOf(node: unknown): number | undefined {
  if (!isMap(node) && !isSeq(node) && !isScalar(node) && !isAlias(node)) return undefined;
  const [start, valueEnd] = node.range ?? [];
  // An empty value (`key:` with nothing after it) has no text of its own.
  return start === undefined || start === valueEnd ? undefined : start;
}

/**
 * The source offset of the node at `path`: its key when `where` is `key` (an unknown or invalid key), else its
 * value. A path that leaves the document (a missing key) stops at the deepest node that exists.
 */
export function offsetOf(doc: Document, path: readonly PathSegment[], where: Where): number {
  let node: unknown = doc.contents;
  let offset = startOf(node) ?? 0;
  for (const [index, segment] of path.entries()) {
    if (isAlias(node)) node = node.resolve(doc);
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item) === String(segment));
      if (!pair) break;
      const keyOffset = startOf(pair.key) ?? offset;
      node = pair.value;
      offset = last && where === 'key' ? keyOffset : (startOf(node) ?? keyOffset);
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      if (node === undefined) break;
      offset = startOf(node) ?? offset;
    } else {
      break;
    }
  }
  return offset;
}

function childrenOf(node: unknown): Array<{ segment: PathSegment; key?: Node; value: unknown }> {
  if (isMap(node)) {
    return node.items.flatMap((pair) => {
      const segment = keyText(pair);
      return segment === undefined || !isScalar(pair.key)
        ? []
        : [{ segment, key: pair.key, value: pair.value }];
    });
  }
  if (isSeq(node)) return node.items.map((value, index) => ({ segment: index, value }));
  return [];
}

function contains(node: unknown, offset: number): boolean {
  if (!isMap(node) && !isSeq(node) && !isScalar(node)) return false;
  const range = node.range;
  return range !== null && range !== undefined && offset >= range[0] && offset <= range[1];
}

/** The path of the deepest key or value that covers `offset`; `[]` when none does. */
export function pathAt(doc: Document, offset: number): PathSegment[] {
  const path: PathSegment[] = [];
  let node: unknown = doc.contents;
  for (;;) {
    const child = childrenOf(node).find(
      (entry) => contains(entry.key, offset) || contains(entry.value, offset),
    );
    if (!child) return path;
    path.push(child.segment);
    if (contains(child.key, offset)) return path;
    node = child.value;
  }
}
