import type { Redis } from 'ioredis';

/**
 * A key's pattern: the service tag and every id-like segment (digits, hex, uuids, versions) become `*`, so the
 * keys of one kind (a promotion record, a queue's job hash) fall together whatever they belong to.
 */
export function toKeyPattern(key: string): string {
  return key
    .replace(/\{svc:[^}]*\}/g, '{svc:*}')
    .split(':')
    .map((segment) => (isIdLike(segment) ? '*' : segment))
    .join(':');
}

/** Promotion ids are 12 characters of A-Z a-z 0-9 _ -; job ids hold dots; versions and times hold digits. */
function isIdLike(segment: string): boolean {
  return (/\d/.test(segment) && segment.length > 2) || segment.includes('.') || /[A-Z_]/.test(segment);
}

/** How many keys of each pattern Redis holds, most first: read with SCAN, so it never blocks the server. */
export async function countKeyPatterns(redis: Redis): Promise<Array<[string, number]>> {
  const counts = new Map<string, number>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const pattern = toKeyPattern(key);
      counts.set(pattern, (counts.get(pattern) ?? 0) + 1);
    }
  } while (cursor !== '0');
  return [...counts].sort((a, b) => b[1] - a[1]);
}
