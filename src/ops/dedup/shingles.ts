import { LANE_SEED_HI, LANE_SEED_LO, fmix32, stepHi, stepLo } from './hash32.ts';
import type { LaneBuffer } from './normalize.ts';

/** Second-level seeds, so that a one-word shingle never equals that word's own hash. */
const SHINGLE_SEED_HI = LANE_SEED_HI ^ 0x5bd1e995;
const SHINGLE_SEED_LO = LANE_SEED_LO ^ 0x27d4eb2f;

/**
 * 64-bit hashes of word n-grams, computed from the words' 64-bit hashes (each word is hashed once,
 * not once per shingle it belongs to; measured in bench/dedup.ts against hashing the joined n-gram
 * string with xxhash-wasm). A document with fewer than `n` (but at least one) words yields one
 * shingle of all its words, so short documents still dedup; datatrove's nltk `ngrams` yields none
 * and never deduplicates them. Returns the number of shingles written to `out`.
 */
export function wordShingles(words: LaneBuffer, count: number, n: number, out: LaneBuffer): number {
  if (count === 0) return 0;
  const m = count < n ? 1 : count - n + 1;
  const width = count < n ? count : n;
  out.reserve(m);
  const wHi = words.hi;
  const wLo = words.lo;
  const oHi = out.hi;
  const oLo = out.lo;
  for (let i = 0; i < m; i++) {
    let hi = SHINGLE_SEED_HI;
    let lo = SHINGLE_SEED_LO;
    for (let j = i, end = i + width; j < end; j++) {
      hi = stepHi(hi, wHi[j]!);
      lo = stepLo(lo, wLo[j]!);
    }
    oHi[i] = fmix32(hi ^ width);
    oLo[i] = fmix32(lo ^ width);
  }
  return m;
}

/**
 * 64-bit hashes of character n-grams of `text` (UTF-16 code units), NeMo Curator's scheme
 * (`char_ngrams=24`). Text shorter than `n` yields one shingle of the whole text.
 */
export function charShingles(text: string, n: number, out: LaneBuffer): number {
  const len = text.length;
  if (len === 0) return 0;
  const m = len < n ? 1 : len - n + 1;
  const width = len < n ? len : n;
  out.reserve(m);
  const oHi = out.hi;
  const oLo = out.lo;
  for (let i = 0; i < m; i++) {
    let hi = SHINGLE_SEED_HI;
    let lo = SHINGLE_SEED_LO;
    for (let j = i, end = i + width; j < end; j++) {
      const c = text.charCodeAt(j);
      hi = stepHi(hi, c);
      lo = stepLo(lo, c);
    }
    oHi[i] = fmix32(hi ^ width);
    oLo[i] = fmix32(lo ^ width);
  }
  return m;
}
