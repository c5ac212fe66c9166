import { describe, expect, it } from 'vitest';
import { createMinHeap } from '../../../src/store/min-heap.js';

describe('the min-heap', () => {
  it('gives back every item smallest first, however they went in', () => {
    const heap = createMinHeap<number>((a, b) => a - b);
    const items = Array.from({ length: 500 }, (_, n) => (n * 7919) % 503);
    for (const item of items) heap.push(item);

    const out: number[] = [];
    for (let item = heap.pop(); item !== undefined; item = heap.pop()) out.push(item);

    expect(out).toEqual([...items].sort((a, b) => a - b));
    expect(heap.size).toBe(0);
  });

  it('keeps its order when items are pushed between pops, as the merge does', () => {
    const heap = createMinHeap<number>((a, b) => a - b);
    for (const item of [5, 1, 9]) heap.push(item);

    expect(heap.pop()).toBe(1);
    heap.push(3);
    heap.push(10);
    expect([heap.pop(), heap.pop(), heap.pop(), heap.pop(), heap.pop()]).toEqual([3, 5, 9, 10, undefined]);
  });
});
