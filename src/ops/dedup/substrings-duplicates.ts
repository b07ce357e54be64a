import { HASH_WORDS } from './substrings-hash.ts';
import { RECORD_WORDS } from './substrings-records.ts';

/**
 * The bucket step of exact-substring dedup: among window records (every copy of a window is in the
 * same set, see substrings-records.ts), the occurrences to cut, as (doc, pos) pairs sorted by doc
 * then pos. A window whose hash occurs twice or more is repeated; with `keep: 'first'` its
 * occurrence with the smallest (doc, pos) is not returned.
 *
 * Memory: a first sort of 53-bit key prefixes (8 bytes per record, plus a copy) finds the prefixes
 * that occur twice; only records carrying one of them are sorted by their full hash, so the cost
 * of the comparison sort is proportional to the repeated windows, not to all of them.
 */
export function repeatedWindows(records: Uint32Array, keep: 'none' | 'first'): Uint32Array {
  const n = records.length / RECORD_WORDS;
  const prefix = new Float64Array(n);
  for (let i = 0; i < n; i++) prefix[i] = records[i * RECORD_WORDS]! * 4194304 + (records[i * RECORD_WORDS + 1]! >>> 9);
  const sorted = prefix.slice().sort();
  const found: number[] = [];
  for (let i = 1; i < n; i++) if (sorted[i] === sorted[i - 1] && sorted[i] !== found[found.length - 1]) found.push(sorted[i]!);
  if (found.length === 0) return new Uint32Array(0);
  const repeated = Float64Array.from(found);
  const candidates: number[] = [];
  for (let i = 0; i < n; i++) if (contains(repeated, prefix[i]!)) candidates.push(i);
  const w = (i: number, j: number) => records[i * RECORD_WORDS + j]!;
  candidates.sort((a, b) => {
    for (let j = 0; j < RECORD_WORDS; j++) {
      const d = w(a, j) - w(b, j);
      if (d !== 0) return d;
    }
    return 0;
  });
  const out: number[] = [];
  for (let s = 0; s < candidates.length;) {
    let e = s + 1;
    while (e < candidates.length && sameHash(records, candidates[s]!, candidates[e]!)) e++;
    if (e - s > 1) {
      for (let c = keep === 'first' ? s + 1 : s; c < e; c++) out.push(w(candidates[c]!, HASH_WORDS), w(candidates[c]!, HASH_WORDS + 1));
    }
    s = e;
  }
  return sortPairs(Uint32Array.from(out));
}

function sameHash(records: Uint32Array, a: number, b: number): boolean {
  for (let j = 0; j < HASH_WORDS; j++) if (records[a * RECORD_WORDS + j] !== records[b * RECORD_WORDS + j]) return false;
  return true;
}

function contains(sorted: Float64Array, x: number): boolean {
  let lo = 0, hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v === x) return true;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** (doc, pos) pairs sorted by doc, then pos (a counting pass by doc keeps it linear plus per-doc sorts). */
export function sortPairs(pairs: Uint32Array): Uint32Array {
  const n = pairs.length / 2;
  if (n < 2) return pairs;
  const order = new Float64Array(n);
  let exact = true;
  for (let i = 0; i < n; i++) {
    if (pairs[2 * i]! >= 2 ** 21) exact = false;
    order[i] = pairs[2 * i]! * 4294967296 + pairs[2 * i + 1]!;
  }
  const out = new Uint32Array(pairs.length);
  if (exact) {
    order.sort();
    for (let i = 0; i < n; i++) { out[2 * i] = Math.floor(order[i]! / 4294967296); out[2 * i + 1] = order[i]! % 4294967296; }
    return out;
  }
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => pairs[2 * a]! - pairs[2 * b]! || pairs[2 * a + 1]! - pairs[2 * b + 1]!);
  idx.forEach((i, k) => { out[2 * k] = pairs[2 * i]!; out[2 * k + 1] = pairs[2 * i + 1]!; });
  return out;
}
