// Repeated keys, found in one pass over the parsed document. yaml's own `uniqueKeys` compares every key with
// each earlier key of its map, which for a pipeline of 10,000 services is 50 million comparisons: seconds of CPU
// at every start. This finds the same keys (scalar keys equal by value, in block and flow maps) with a set.
import { type Document, isScalar, visit } from 'yaml';

/** Where each key that repeats an earlier key of its map starts, as an offset into the text. */
export function duplicateKeyOffsets(doc: Document): number[] {
  const offsets: number[] = [];
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<unknown>();
      for (const { key } of map.items) {
        if (!isScalar(key)) continue;
        if (seen.has(key.value)) offsets.push(key.range?.[0] ?? 0);
        else seen.add(key.value);
      }
    },
  });
  return offsets;
}
