import { fmix32 } from './hash32.ts';

const T32 = 2 ** 32;
const INV32 = 2 ** -32;
/** Marks an empty bin: every real value is below 2^32. */
const EMPTY = T32;

/** splitmix32 seeds: reproducible on every machine, independent of the permutation family's. */
function seeds(count: number, seed: number, salt: number): Uint32Array {
  const out = new Uint32Array(count);
  let s = (seed ^ salt) >>> 0;
  for (let i = 0; i < count; i++) {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    out[i] = (z ^ (z >>> 15)) >>> 0;
  }
  return out;
}

/** The smallest prime ≥ n (n ≥ 2). */
function primeAtLeast(n: number): number {
  for (let p = Math.max(2, n); ; p++) {
    let prime = true;
    for (let d = 2; d * d <= p; d++) if (p % d === 0) { prime = false; break; }
    if (prime) return p;
  }
}

/** a⁻¹ mod p for prime p and 0 < a < p (extended Euclid; every step stays below 2^53). */
function inverseMod(a: number, p: number): number {
  let [r0, r1, s0, s1] = [p, a, 0, 1];
  while (r1 !== 0) {
    const q = Math.floor(r0 / r1);
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return ((s0 % p) + p) % p;
}

/**
 * One-permutation MinHash (Li, Owen & Zhang 2012) with optimal densification: `count` hashes for
 * O(shingles + count · log count) work instead of the O(shingles · count) of `count` permutations.
 *
 * A seeded hash sends each shingle to one of `count` bins and gives it a rank there; a bin keeps
 * its lowest-ranked shingle, written as `(rank, low 32 bits of the shingle hash)`. Given the bin,
 * that pair is a bijection of the 64-bit shingle hash, so two documents' non-empty bins are equal
 * exactly when they hold the same shingle, and the result depends on the shingle set only (not on
 * order or repeats).
 *
 * Empty bins are densified as in Shrivastava 2017: an empty bin takes the value of the first
 * non-empty bin in a seeded sequence of bins that is the same for every document. For two
 * documents, the first bin of that sequence that either fills is filled by both with probability
 * ≈ Jaccard, and then both copy it; so every position collides with probability ≈ Jaccard, and
 * given the documents' bins the positions' collisions are independent, as with independent
 * permutations (test/ops/dedup/oph.test.ts measures the band S-curve down to 20-shingle documents).
 *
 * The sequence of bin w is π_1⁻¹(w), π_2⁻¹(w), … for seeded affine maps π_t(j) = (a_t·j + b_t)
 * mod P over the prime P ≥ count (2-universal, as the paper asks; values ≥ count are no bin).
 * Filling from the non-empty side first (Mai et al., UAI 2019: in round t every non-empty bin j
 * fills π_t(j) if still empty) costs one step per non-empty bin per round and fills many bins
 * early; once fewer bins are missing than are non-empty, each missing bin walks its own sequence
 * from the next round. Both give every bin the first non-empty bin of its sequence, in
 * O(count · log count) steps whatever the document's size, where walking every empty bin's
 * sequence from the start costs O(count²) for a one-shingle document.
 */
export class OnePermutationHasher {
  readonly count: number;
  /** Per bin: the rank of its shingle (EMPTY if none) and the shingle's low 32 bits. */
  private readonly rank: Float64Array;
  private readonly tag: Uint32Array;
  private readonly binSeed: number;
  private readonly mixSeed: number;
  private readonly roundSeed: number;
  private readonly prime: number;
  private readonly invPrime: number;
  /** Round t's map π_t as (a, a⁻¹, b) at index t − 1, drawn on first use and kept. */
  private roundA = new Float64Array(64);
  private roundInv = new Float64Array(64);
  private roundB = new Float64Array(64);
  private rounds = 0;
  private readonly nonEmpty: Int32Array;
  /** −1: non-empty; 0: empty, not filled yet; t > 0: filled in round t. */
  private readonly filledIn: Int32Array;
  private readonly fillFrom: Int32Array;

  constructor(count: number, seed: number) {
    this.count = count;
    this.rank = new Float64Array(count);
    this.tag = new Uint32Array(count);
    [this.binSeed, this.mixSeed, this.roundSeed] = seeds(3, seed, 0x6f7068b1);
    this.prime = primeAtLeast(count);
    this.invPrime = 1 / this.prime;
    this.nonEmpty = new Int32Array(count);
    this.filledIn = new Int32Array(count);
    this.fillFrom = new Int32Array(count);
    this.reset();
  }

  reset(): void {
    this.rank.fill(EMPTY);
  }

  /** Folds `count` 64-bit shingle hashes `(hi[i], lo[i])` into the bins. */
  update(hi: Uint32Array, lo: Uint32Array, count: number): void {
    const K = this.count;
    const rank = this.rank;
    const tag = this.tag;
    const mix = this.mixSeed;
    const seed = this.binSeed;
    for (let i = 0; i < count; i++) {
      const l = lo[i]!;
      // z is a bijection of hi given l; z·K splits into bin (high part) and rank (low part).
      const t = fmix32((hi[i]! ^ fmix32(l ^ mix) ^ seed) >>> 0) * K;
      const bin = Math.floor(t * INV32);
      const r = t - bin * T32;
      const cur = rank[bin]!;
      if (r < cur || (r === cur && l < tag[bin]!)) {
        rank[bin] = r;
        tag[bin] = l;
      }
    }
  }

  /** Densifies the empty bins and writes every bin's `(rank, lo)` pair to `out[at...]`. */
  write(out: Uint32Array, at: number): void {
    this.densify();
    const rank = this.rank;
    const tag = this.tag;
    for (let k = 0; k < this.count; k++) {
      out[at + 2 * k] = rank[k]!;
      out[at + 2 * k + 1] = tag[k]!;
    }
  }

  /** Draws π_t for every round up to `t`. */
  private drawRounds(t: number): void {
    if (t > this.roundA.length) {
      const cap = Math.max(t, 2 * this.roundA.length);
      for (const key of ['roundA', 'roundInv', 'roundB'] as const) {
        const next = new Float64Array(cap);
        next.set(this[key]);
        this[key] = next;
      }
    }
    const P = this.prime;
    for (let r = this.rounds + 1; r <= t; r++) {
      const h1 = fmix32((this.roundSeed ^ Math.imul(r, 0x85ebca77)) >>> 0);
      const h2 = fmix32((h1 ^ 0x27d4eb2f) >>> 0);
      const a = 1 + (h1 % (P - 1));
      this.roundA[r - 1] = a;
      this.roundInv[r - 1] = inverseMod(a, P);
      this.roundB[r - 1] = h2 % P;
    }
    this.rounds = Math.max(this.rounds, t);
  }

  /** Fills the empty bins; a document without any shingle stays empty. */
  private densify(): void {
    const K = this.count;
    const rank = this.rank;
    const tag = this.tag;
    const nonEmpty = this.nonEmpty;
    const filledIn = this.filledIn;
    const from = this.fillFrom;
    let n = 0;
    for (let w = 0; w < K; w++) {
      if (rank[w]! < EMPTY) {
        nonEmpty[n++] = w;
        filledIn[w] = -1;
      } else filledIn[w] = 0;
    }
    let missing = K - n;
    if (n === 0 || missing === 0) return;
    const P = this.prime;
    const invP = this.invPrime;
    let round = 0;
    if (n === 1) {
      // Every sequence's first non-empty bin is the only one.
      from.fill(nonEmpty[0]!);
      filledIn.fill(1);
      filledIn[nonEmpty[0]!] = -1;
      missing = 0;
    }
    while (missing >= n) {
      round++;
      if (round > this.rounds) this.drawRounds(2 * round);
      const a = this.roundA[round - 1]!;
      const b = this.roundB[round - 1]!;
      for (let i = 0; i < n; i++) {
        const j = nonEmpty[i]!;
        const x = a * j + b;
        const w = x - Math.floor(x * invP) * P;
        // Rounding of x·(1/P) can leave w one P off; bins are below K ≤ P.
        const v = w >= P ? w - P : w < 0 ? w + P : w;
        if (v < K && filledIn[v] === 0) {
          filledIn[v] = round;
          from[v] = j;
          missing--;
        }
      }
    }
    if (missing > 0) {
      for (let w = 0; w < K; w++) {
        if (filledIn[w] !== 0) continue;
        for (let t = round + 1; ; t++) {
          if (t > this.rounds) this.drawRounds(2 * t);
          const x = this.roundInv[t - 1]! * (w - this.roundB[t - 1]! + P);
          const j0 = x - Math.floor(x * invP) * P;
          const j = j0 >= P ? j0 - P : j0 < 0 ? j0 + P : j0;
          if (j < K && filledIn[j] === -1) {
            filledIn[w] = t;
            from[w] = j;
            break;
          }
        }
      }
    }
    for (let w = 0; w < K; w++) {
      if (filledIn[w]! <= 0) continue;
      rank[w] = rank[from[w]!]!;
      tag[w] = tag[from[w]!]!;
    }
  }
}
