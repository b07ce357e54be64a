/**
 * Brute-force reference of exact-substring dedup for tests: every k-token window keyed by its ids
 * as a string, occurrences listed in input order; a window occurring twice or more has all its
 * occurrences cut (`none`) or all but the first (`first`). Returns per document its sorted
 * disjoint `[start, end)` spans.
 */
export function bruteSpans(docs: readonly Uint32Array[], k: number, keep: 'none' | 'first'): number[][] {
  const seen = new Map<string, [number, number][]>();
  docs.forEach((ids, d) => {
    for (let s = 0; s + k <= ids.length; s++) {
      const key = Array.from(ids.subarray(s, s + k)).join(',');
      const list = seen.get(key);
      if (list) list.push([d, s]);
      else seen.set(key, [[d, s]]);
    }
  });
  const masks = docs.map((ids) => new Uint8Array(ids.length));
  for (const list of seen.values()) {
    if (list.length < 2) continue;
    for (const [d, s] of keep === 'first' ? list.slice(1) : list) masks[d]!.fill(1, s, s + k);
  }
  return masks.map((m) => {
    const spans: number[] = [];
    for (let i = 0; i < m.length; i++) {
      if (m[i] && (i === 0 || !m[i - 1])) spans.push(i);
      if (m[i] && (i === m.length - 1 || !m[i + 1])) spans.push(i + 1);
    }
    return spans;
  });
}
