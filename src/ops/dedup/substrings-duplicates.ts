import { HASH_WORDS } from './substrings-hash.ts';
import { RECORD_WORDS } from './substrings-records.ts';

/**
 * The bucket step of exact-substring dedup: among window records (every copy of a window is in the
 * same set, see substrings-records.ts) given in (doc, pos) order, the occurrences to cut, as
 * (doc, pos) pairs sorted by doc then pos. A window whose hash occurs twice or more is repeated;
 * with `keep: 'first'` its first occurrence in input order is not returned.
 *
 * Grouping: one stable counting pass by the top 16 bits of the first hash word (uniform, so about
 * n / 65536 records per slot), then a stable sort of each slot by the full hash, so every group of
 * equal hashes keeps the input order and its first record is the first occurrence. Memory: the
 * records plus 4 bytes per record and the hits.
 */
export function repeatedWindows(records: Uint32Array, keep: 'none' | 'first'): Uint32Array {
  const n = records.length / RECORD_WORDS;
  const SLOTS = 65536;
  const slot = (i: number) => records[i * RECORD_WORDS]! >>> 15;
  const starts = new Uint32Array(SLOTS + 1);
  for (let i = 0; i < n; i++) starts[slot(i) + 1]!++;
  for (let s = 1; s <= SLOTS; s++) starts[s]! += starts[s - 1]!;
  const fill = starts.slice(0, SLOTS);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[fill[slot(i)]!++] = i;
  const compare = (a: number, b: number) => {
    for (let j = 0; j < HASH_WORDS; j++) {
      const d = records[a * RECORD_WORDS + j]! - records[b * RECORD_WORDS + j]!;
      if (d !== 0) return d;
    }
    return 0;
  };
  const hits = new PairList();
  for (let s = 0; s < SLOTS; s++) {
    const from = starts[s]!, to = starts[s + 1]!;
    if (to - from < 2) continue;
    sortStable(order, from, to, compare);
    for (let g = from; g < to;) {
      let e = g + 1;
      while (e < to && compare(order[g]!, order[e]!) === 0) e++;
      if (e - g > 1) {
        for (let c = keep === 'first' ? g + 1 : g; c < e; c++) {
          const r = order[c]! * RECORD_WORDS;
          hits.push(records[r + HASH_WORDS]!, records[r + HASH_WORDS + 1]!);
        }
      }
      g = e;
    }
  }
  return sortPairs(hits.view());
}

/** Stable sort of `order[from .. to)`: insertion sort for the usual few items, TimSort beyond. */
function sortStable(order: Uint32Array, from: number, to: number, compare: (a: number, b: number) => number): void {
  if (to - from > 32) {
    const sorted = Array.from(order.subarray(from, to)).sort(compare);
    order.set(sorted, from);
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const x = order[i]!;
    let j = i - 1;
    while (j >= from && compare(order[j]!, x) > 0) { order[j + 1] = order[j]!; j--; }
    order[j + 1] = x;
  }
}

/** A growable list of u32 pairs. */
class PairList {
  private words = new Uint32Array(1024);
  private length = 0;

  push(a: number, b: number): void {
    if (this.length + 2 > this.words.length) {
      const grown = new Uint32Array(this.words.length * 2);
      grown.set(this.words);
      this.words = grown;
    }
    this.words[this.length++] = a;
    this.words[this.length++] = b;
  }

  view(): Uint32Array {
    return this.words.subarray(0, this.length);
  }
}

/**
 * (doc, pos) pairs sorted by doc, then pos: a counting pass over the range of docs (4 bytes per
 * document in that range), then each document's positions sorted numerically.
 */
export function sortPairs(pairs: Uint32Array): Uint32Array {
  const n = pairs.length / 2;
  if (n < 2) return pairs.slice();
  let lo = Infinity, hi = -1;
  for (let i = 0; i < n; i++) { const d = pairs[2 * i]!; if (d < lo) lo = d; if (d > hi) hi = d; }
  const starts = new Uint32Array(hi - lo + 2);
  for (let i = 0; i < n; i++) starts[pairs[2 * i]! - lo + 1]!++;
  for (let d = 1; d < starts.length; d++) starts[d]! += starts[d - 1]!;
  const fill = starts.slice(0, -1);
  const pos = new Uint32Array(n);
  for (let i = 0; i < n; i++) pos[fill[pairs[2 * i]! - lo]!++] = pairs[2 * i + 1]!;
  const out = new Uint32Array(pairs.length);
  for (let d = 0; d + 1 < starts.length; d++) {
    const from = starts[d]!, to = starts[d + 1]!;
    if (from === to) continue;
    const run = pos.subarray(from, to);
    if (to - from > 1) run.sort();
    for (let k = from; k < to; k++) { out[2 * k] = d + lo; out[2 * k + 1] = pos[k]!; }
  }
  return out;
}
