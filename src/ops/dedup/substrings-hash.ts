/**
 * Hashes of every window of `k` consecutive token ids: four polynomial (Rabin–Karp) hashes modulo
 * the Mersenne prime p = 2^31 − 1 with fixed bases, rolled in O(1) per token.
 *
 * Collision bound. For two different windows x ≠ y, H_B(x) − H_B(y) = Σ (x_i − y_i) B^(k−1−i) is a
 * non-zero polynomial of degree ≤ k − 1 in B over GF(p) (ids + 1 < p are distinct residues), so it has
 * at most k − 1 roots: for a base drawn uniformly, Pr[H_B(x) = H_B(y)] ≤ (k − 1)/p. With four
 * independent bases, ≤ ((k − 1)/p)^4, and over N windows Pr[any false match] ≤ N²/2 · ((k − 1)/p)^4.
 * The bases are fixed constants (drawn once at random), so the bound holds for any input that was
 * not built knowing them. Equal windows always hash equally: there are no false negatives.
 */
export const HASH_PRIME = 0x7fffffff;
/** The four bases (drawn at random once, seed 16). */
export const HASH_BASES: readonly number[] = [777412821, 1008696375, 1032872954, 612938474];
/** 32-bit words per window hash. */
export const HASH_WORDS = 4;

/** a·b mod p for 0 ≤ a, b < p ≤ 2^31 without leaving exact double arithmetic (products < 2^48). */
function mulmod(a: number, b: number, p: number): number {
  return (((a * (b >>> 16)) % p) * 65536 + a * (b & 0xffff)) % p;
}

/**
 * Hashes of the windows `ids[s .. s + k)` for s = 0 .. n − k, `bases.length` words each, window-major
 * (`out[s · bases.length + j]`). Empty when the document has fewer than `k` ids. `p` and `bases` are
 * parameters so tests can measure the collision bound with a small prime.
 */
export function windowHashesWith(ids: Uint32Array, k: number, bases: readonly number[], p: number): Uint32Array {
  const n = ids.length;
  if (n < k) return new Uint32Array(0);
  const m = bases.length;
  const windows = n - k + 1;
  const out = new Uint32Array(windows * m);
  for (let j = 0; j < m; j++) {
    const b = bases[j]! % p;
    let top = 1;
    for (let i = 1; i < k; i++) top = mulmod(top, b, p);
    let h = 0;
    for (let i = 0; i < k; i++) h = (mulmod(h, b, p) + ids[i]! + 1) % p;
    out[j] = h;
    for (let s = 1; s < windows; s++) {
      h = (h + p - mulmod(ids[s - 1]! + 1, top, p)) % p;
      h = (mulmod(h, b, p) + ids[s + k - 1]! + 1) % p;
      out[s * m + j] = h;
    }
  }
  return out;
}

/** The {@link HASH_WORDS}-word hashes of every k-token window of `ids` (see the bound above). */
export function windowHashes(ids: Uint32Array, k: number): Uint32Array {
  return windowHashesWith(ids, k, HASH_BASES, HASH_PRIME);
}
