/**
 * 32-bit hashing primitives for the dedup hot paths. Two independent 32-bit lanes make one 64-bit
 * hash without BigInt: every value stays a small integer that V8 keeps unboxed.
 */

/** MurmurHash3's 32-bit finalizer: a bijection on uint32 with full avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Seeds of the two lanes; distinct constants keep the lanes independent. */
export const LANE_SEED_HI = 0x9e3779b9;
export const LANE_SEED_LO = 0x7f4a7c15;

/** Folds one uint32 into a high-lane state (order-sensitive, Murmur3 block step). */
export function stepHi(h: number, v: number): number {
  let k = Math.imul(v, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** Folds one uint32 into a low-lane state (a different multiply-rotate than {@link stepHi}). */
export function stepLo(h: number, v: number): number {
  let k = Math.imul(v ^ 0x2545f491, 0x27d4eb2f);
  k = (k << 17) | (k >>> 15);
  h = Math.imul(h ^ k, 0x165667b1);
  return ((h << 11) | (h >>> 21)) ^ 0x61c88647;
}

/**
 * A 64-bit hash of a string as two uint32 lanes written to `out[at]`, `out[at + 1]`: the hash of
 * exact-dedup keys and URLs. UTF-16 code units are hashed, so equal strings hash equal.
 */
export function hashString64(s: string, out: Uint32Array, at: number): void {
  let hi = LANE_SEED_HI;
  let lo = LANE_SEED_LO;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    hi = stepHi(hi, c);
    lo = stepLo(lo, c);
  }
  out[at] = fmix32(hi ^ s.length);
  out[at + 1] = fmix32(lo ^ Math.imul(s.length, 0x9e3779b1));
}
