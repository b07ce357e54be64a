/**
 * Cut spans of exact-substring dedup: per document, the union of the token ranges `[pos, pos + k)`
 * of its cut windows, as sorted disjoint `[start, end)` pairs. Stored per parent partition in CSR
 * form: `n`, then `n + 1` offsets into the pairs (in pairs), then the pairs (all u32).
 */
export interface CutSpans {
  documents: number;
  /** `offsets[d] .. offsets[d + 1]` index the pairs of document d. */
  offsets: Uint32Array;
  /** `[start, end)` token ranges, two words per pair. */
  pairs: Uint32Array;
}

/**
 * Spans of the `documents` documents with ordinals `first ..`, from cut window occurrences given as
 * (doc, pos) pairs sorted by doc then pos (duplicates allowed), windows of `k` tokens.
 */
export function spansOf(hits: Uint32Array, first: number, documents: number, k: number): CutSpans {
  const offsets = new Uint32Array(documents + 1);
  const pairs: number[] = [];
  let h = 0;
  for (let d = 0; d < documents; d++) {
    const doc = first + d;
    while (h < hits.length && hits[h]! < doc) h += 2;
    let start = -1, end = -1;
    while (h < hits.length && hits[h] === doc) {
      const pos = hits[h + 1]!;
      if (pos > end) {
        if (start >= 0) pairs.push(start, end);
        start = pos;
      }
      end = Math.max(end, pos + k);
      h += 2;
    }
    if (start >= 0) pairs.push(start, end);
    offsets[d + 1] = pairs.length / 2;
  }
  return { documents, offsets, pairs: Uint32Array.from(pairs) };
}

export function encodeSpans(s: CutSpans): Uint32Array {
  const out = new Uint32Array(1 + s.offsets.length + s.pairs.length);
  out[0] = s.documents;
  out.set(s.offsets, 1);
  out.set(s.pairs, 1 + s.offsets.length);
  return out;
}

export function decodeSpans(words: Uint32Array): CutSpans {
  const n = words[0];
  if (n === undefined || words.length < n + 2) throw new Error(`cut spans: ${words.length} words cannot hold a header`);
  const offsets = words.subarray(1, n + 2);
  const pairs = words.subarray(n + 2);
  if (pairs.length !== 2 * offsets[n]!) throw new Error(`cut spans: ${pairs.length / 2} pairs, the offsets say ${offsets[n]}`);
  return { documents: n, offsets, pairs };
}
