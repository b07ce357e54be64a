import type { SignatureBatch } from './minhash.ts';

/**
 * Band records: one per (document, band), struct-of-arrays. `doc` is the document's dense input
 * ordinal (see index.ts): smaller means earlier in the input, and the smallest doc of a cluster is
 * kept. Exact and URL dedup use the same records with a single band.
 */
export interface BandRecords {
  length: number;
  band: Uint16Array;
  hi: Uint32Array;
  lo: Uint32Array;
  doc: Float64Array;
  /** For MinHash records, the milliseconds spent signing their batch ({@link SignatureBatch.signMs}). */
  signMs?: number;
}

export function allocRecords(length: number): BandRecords {
  return {
    length,
    band: new Uint16Array(length),
    hi: new Uint32Array(length),
    lo: new Uint32Array(length),
    doc: new Float64Array(length),
  };
}

/** Candidate edges: `dst[i]` duplicates `src[i]`, and `src[i] < dst[i]` always. */
export interface EdgeChunk {
  length: number;
  src: Float64Array;
  dst: Float64Array;
}

/**
 * The records of a signed batch: one per band of every valid document. `docs[i]` is the ordinal
 * of row `i` of the batch.
 */
export function bandRecords(sig: SignatureBatch, bands: number, docs: ArrayLike<number>): BandRecords {
  let valid = 0;
  for (let i = 0; i < sig.count; i++) valid += sig.valid[i]!;
  const r = allocRecords(valid * bands);
  let k = 0;
  for (let i = 0; i < sig.count; i++) {
    if (!sig.valid[i]) continue;
    for (let b = 0; b < bands; b++, k++) {
      r.band[k] = b;
      r.hi[k] = sig.bands[(i * bands + b) * 2]!;
      r.lo[k] = sig.bands[(i * bands + b) * 2 + 1]!;
      r.doc[k] = docs[i]!;
    }
  }
  r.signMs = sig.signMs;
  return r;
}

/** Single-band records from 64-bit keys (`keys[2i]`, `keys[2i+1]`), skipping rows with `valid[i] = 0`. */
export function keyRecords(keys: Uint32Array, docs: ArrayLike<number>, valid?: Uint8Array): BandRecords {
  const n = docs.length;
  let m = 0;
  for (let i = 0; i < n; i++) if (!valid || valid[i]) m++;
  const r = allocRecords(m);
  for (let i = 0, k = 0; i < n; i++) {
    if (valid && !valid[i]) continue;
    r.hi[k] = keys[2 * i]!;
    r.lo[k] = keys[2 * i + 1]!;
    r.doc[k++] = docs[i]!;
  }
  return r;
}

/**
 * The shuffle partition of a band hash: a range partition on its high 32 bits, so equal
 * (band, hash) records always meet in one partition and partitions are independent.
 */
export function bandPartition(hi: number, partitions: number): number {
  return Math.floor((hi * partitions) / 4294967296);
}

/** Splits records into `partitions` by {@link bandPartition}, keeping their order. */
export function partitionRecords(r: BandRecords, partitions: number): BandRecords[] {
  const counts = new Uint32Array(partitions);
  for (let i = 0; i < r.length; i++) counts[bandPartition(r.hi[i]!, partitions)]!++;
  const parts = Array.from(counts, (c) => allocRecords(c));
  const fill = new Uint32Array(partitions);
  for (let i = 0; i < r.length; i++) {
    const p = bandPartition(r.hi[i]!, partitions);
    const k = fill[p]!++;
    const part = parts[p]!;
    part.band[k] = r.band[i]!;
    part.hi[k] = r.hi[i]!;
    part.lo[k] = r.lo[i]!;
    part.doc[k] = r.doc[i]!;
  }
  return parts;
}

/** Concatenates record arrays (e.g. the shuffle inputs of one partition from every map task). */
export function concatRecords(parts: readonly BandRecords[]): BandRecords {
  const r = allocRecords(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    r.band.set(p.band.subarray(0, p.length), at);
    r.hi.set(p.hi.subarray(0, p.length), at);
    r.lo.set(p.lo.subarray(0, p.length), at);
    r.doc.set(p.doc.subarray(0, p.length), at);
    at += p.length;
  }
  return r;
}

/**
 * Emits, for every group of records with equal (band, hash), one edge from the group's smallest doc
 * to each other doc: a star, so a bucket of k docs costs k − 1 edges, not k(k − 1)/2. Groups are
 * found with an open-addressing table (two linear passes, no sort); the edge set does not depend on
 * record order, and {@link localComponents} sorts what it emits.
 */
export function bucket(r: BandRecords): EdgeChunk {
  const n = r.length;
  const { band, hi, lo, doc } = r;
  let cap = 16;
  while (cap < n * 2) cap *= 2;
  const mask = cap - 1;
  // Slot layout: key (band, hi, lo) and the smallest doc seen; slot used when tBand ≥ 0.
  const tBand = new Int32Array(cap).fill(-1);
  const tHi = new Uint32Array(cap);
  const tLo = new Uint32Array(cap);
  const tMin = new Float64Array(cap);
  const slotOf = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const b = band[i]!, h = hi[i]!, l = lo[i]!;
    let s = (Math.imul(h ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b) ^ l) & mask;
    for (;;) {
      if (tBand[s] === -1) {
        tBand[s] = b; tHi[s] = h; tLo[s] = l; tMin[s] = doc[i]!;
        break;
      }
      if (tBand[s] === b && tHi[s] === h && tLo[s] === l) {
        if (doc[i]! < tMin[s]!) tMin[s] = doc[i]!;
        break;
      }
      s = (s + 1) & mask;
    }
    slotOf[i] = s;
  }
  let m = 0;
  for (let i = 0; i < n; i++) if (doc[i] !== tMin[slotOf[i]!]) m++;
  const src = new Float64Array(m);
  const dst = new Float64Array(m);
  for (let i = 0, k = 0; i < n; i++) {
    const root = tMin[slotOf[i]!]!;
    if (doc[i] === root) continue;
    src[k] = root;
    dst[k++] = doc[i]!;
  }
  return { length: m, src, dst };
}
