/**
 * Exact `(a·x + b) mod (2^61 − 1)` without BigInt. Values below 2^61 are held as three float64
 * limbs of 21, 21 and 19 bits, so every partial product is below 2^42 and every sum of them below
 * 2^45: exact in a double. Since 2^61 ≡ 1 (mod p), the limbs at 2^63 and 2^84 fold back as ×4 at
 * 2^0 and 2^21. A min over a permutation is kept as H (top 40 bits) and L (low 21 bits).
 * bench/dedup.ts compares the speed with BigInt; test/ops/dedup checks equality with BigInt.
 */

export const P61_HI_BITS = 40;
const T21 = 2 ** 21;
const INV21 = 2 ** -21;
const INV19 = 2 ** -19;
const T19 = 2 ** 19;
const T40 = 2 ** 40;
const T42 = 2 ** 42;
const T61 = 2 ** 61;
const INV61 = 2 ** -61;
/** Screening margin: far above the estimate's error bound (2^37), far below typical minima. */
const SCREEN = 2 ** 38;
const P_MINUS_SCREEN = T61 - SCREEN;

/** Permutation coefficients as limbs: entry `k` of each array belongs to permutation `k`. */
export interface Permutations {
  count: number;
  a0: Float64Array; a1: Float64Array; a2: Float64Array;
  b0: Float64Array; b1: Float64Array; b2: Float64Array;
}

/** splitmix32: a seeded generator good enough to draw coefficients, reproducible everywhere. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}

/** Draws `count` permutations: `a` uniform in [1, p), `b` uniform in [0, p), from `seed`. */
export function makePermutations(count: number, seed: number): Permutations {
  const p: Permutations = {
    count,
    a0: new Float64Array(count), a1: new Float64Array(count), a2: new Float64Array(count),
    b0: new Float64Array(count), b1: new Float64Array(count), b2: new Float64Array(count),
  };
  const next = rng(seed);
  const draw = (min: number): [number, number, number] => {
    for (;;) {
      const l0 = next() & 0x1fffff;
      const l1 = next() & 0x1fffff;
      const l2 = next() & 0x7ffff;
      const isP = l0 === 0x1fffff && l1 === 0x1fffff && l2 === 0x7ffff;
      if (!isP && (min === 0 || l0 + l1 + l2 > 0)) return [l0, l1, l2];
    }
  };
  for (let k = 0; k < count; k++) {
    [p.a0[k], p.a1[k], p.a2[k]] = draw(1);
    [p.b0[k], p.b1[k], p.b2[k]] = draw(0);
  }
  return p;
}

/**
 * Accumulates minima of the permuted shingle hashes, reusing its buffers across documents.
 * `reset()` per document, `update()` with one or more shingle arrays, then `write()`.
 */
export class MinHasher {
  readonly perms: Permutations;
  readonly minH: Float64Array;
  readonly minL: Float64Array;
  private x0 = new Float64Array(1024);
  private x1 = new Float64Array(1024);
  private x2 = new Float64Array(1024);

  constructor(perms: Permutations) {
    this.perms = perms;
    this.minH = new Float64Array(perms.count);
    this.minL = new Float64Array(perms.count);
    this.reset();
  }

  /** Number of hashes (permutations). */
  get count(): number {
    return this.perms.count;
  }

  reset(): void {
    this.minH.fill(T40);
    this.minL.fill(0);
  }

  /** Folds `count` 64-bit shingle hashes (reduced to their low 61 bits) into the minima. */
  update(hi: Uint32Array, lo: Uint32Array, count: number): void {
    if (this.x0.length < count) {
      const cap = Math.max(count, this.x0.length * 2);
      this.x0 = new Float64Array(cap);
      this.x1 = new Float64Array(cap);
      this.x2 = new Float64Array(cap);
    }
    const X0 = this.x0;
    const X1 = this.x1;
    const X2 = this.x2;
    for (let i = 0; i < count; i++) {
      const l = lo[i]!;
      const h = hi[i]!;
      X0[i] = l & 0x1fffff;
      X1[i] = (l >>> 21) | ((h & 0x3ff) << 11);
      X2[i] = (h >>> 10) & 0x7ffff;
    }
    const { a0: A0, a1: A1, a2: A2, b0: B0, b1: B1, b2: B2 } = this.perms;
    const minH = this.minH;
    const minL = this.minL;
    for (let k = 0; k < this.perms.count; k++) {
      const a0 = A0[k]!, a1 = A1[k]!, a2 = A2[k]!, b0 = B0[k]!, b1 = B1[k]!, b2 = B2[k]!;
      const a1x4 = 4 * a1, a2x4 = 4 * a2;
      let mh = minH[k]!;
      let ml = minL[k]!;
      // A float estimate of the reduced value (error < 2^37, see header) screens out the vast
      // majority of candidates; only possible new minima, or values near a wrap, go the exact way.
      let bound = mh * T21 + ml + SCREEN;
      for (let i = 0; i < count; i++) {
        const x0 = X0[i]!, x1 = X1[i]!, x2 = X2[i]!;
        let c0 = x0 * a0 + x1 * a2x4 + x2 * a1x4 + b0;
        let c1 = x0 * a1 + x1 * a0 + x2 * a2x4 + b1;
        let c2 = x0 * a2 + x1 * a1 + x2 * a0 + b2;
        const u = c2 * T42 + c1 * T21 + c0;
        const q = Math.floor(u * INV61);
        const v = u - q * T61 + q;
        if (v >= bound && v <= P_MINUS_SCREEN) continue;
        let t = Math.floor(c0 * INV21);
        c0 -= t * T21;
        c1 += t;
        t = Math.floor(c1 * INV21);
        c1 -= t * T21;
        c2 += t;
        t = Math.floor(c2 * INV19);
        c2 -= t * T19;
        c0 += t;
        // value = H·2^21 + L with H < 2^40 + small, L < 2^26: finish the reduction.
        let H = c2 * T21 + c1;
        t = Math.floor(c0 * INV21);
        let L = c0 - t * T21;
        H += t;
        if (H >= T40) {
          H -= T40;
          L += 1;
          if (L >= T21) { L -= T21; H += 1; }
        }
        // p itself is 0 (mod p); its limbs are all ones, so only H = 2^40 − 1 needs the check.
        if (H === T40 - 1 && L === T21 - 1) { H = 0; L = 0; }
        if (H < mh || (H === mh && L < ml)) {
          mh = H;
          ml = L;
          bound = mh * T21 + ml + SCREEN;
        }
      }
      minH[k] = mh;
      minL[k] = ml;
    }
  }

  /** Writes the minima as `(hi32, lo32)` pairs of the 61-bit values to `out[at...]`. */
  write(out: Uint32Array, at: number): void {
    for (let k = 0; k < this.perms.count; k++) {
      const H = this.minH[k]!;
      const L = this.minL[k]!;
      const hTop = Math.floor(H / 2048);
      out[at + 2 * k] = hTop;
      out[at + 2 * k + 1] = (((H - hTop * 2048) * T21) + L) >>> 0;
    }
  }
}
