import { fmix32 } from './hash32.ts';

const T32 = 2 ** 32;
const INV32 = 2 ** -32;
/** Marks an empty bin: every real value is below 2^32. */
const EMPTY = T32;
/** Densification's bin states. */
const NON_EMPTY = -1, EMPTY_BIN = 0, FILLED = 1;

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
 * x mod P for 0 ≤ x < 2P² given 1/P: the quotient is truncated from `x · (1/P)` (below 2P, an int32
 * for any bin count the options allow) and can be one off, so fix up once.
 */
function modPrime(x: number, P: number, invP: number): number {
  const r = x - ((x * invP) | 0) * P;
  return r >= P ? r - P : r < 0 ? r + P : r;
}

/**
 * The seeded maps π_t(j) = (a_t·j + b_t) mod P, t = 1, 2, …, over the smallest prime P ≥ `count`
 * (a 2-universal family, as optimal densification asks); values ≥ `count` are no bin. Each map is
 * a bijection of [0, P), so round t points exactly one j at each bin w: j = π_t⁻¹(w). Maps are
 * drawn on first use and kept, a pure function of (seed, t).
 */
export class DensifyRounds {
  readonly prime: number;
  readonly invPrime: number;
  private readonly seed: number;
  /** Index t − 1 holds a_t, a_t⁻¹ and b_t. */
  a = new Float64Array(64);
  inv = new Float64Array(64);
  b = new Float64Array(64);
  private drawn = 0;

  constructor(count: number, seed: number) {
    this.prime = primeAtLeast(count);
    this.invPrime = 1 / this.prime;
    this.seed = seed;
  }

  /** Makes maps 1…t available in `a`, `inv`, `b`. */
  ensure(t: number): void {
    if (t <= this.drawn) return;
    const P = this.prime;
    const until = Math.max(t, 2 * this.drawn);
    if (until > this.a.length) {
      const grow = (old: Float64Array) => {
        const next = new Float64Array(Math.max(until, 2 * old.length));
        next.set(old);
        return next;
      };
      this.a = grow(this.a);
      this.inv = grow(this.inv);
      this.b = grow(this.b);
    }
    for (let r = this.drawn + 1; r <= until; r++) {
      const h1 = fmix32((this.seed ^ Math.imul(r, 0x85ebca77)) >>> 0);
      const h2 = fmix32((h1 ^ 0x27d4eb2f) >>> 0);
      const a = P === 2 ? 1 : 1 + (h1 % (P - 1));
      this.a[r - 1] = a;
      this.inv[r - 1] = inverseMod(a, P);
      this.b[r - 1] = h2 % P;
    }
    this.drawn = until;
  }

  /** π_t(j). */
  forward(t: number, j: number): number {
    this.ensure(t);
    return modPrime(this.a[t - 1]! * j + this.b[t - 1]!, this.prime, this.invPrime);
  }

  /** π_t⁻¹(w). */
  inverse(t: number, w: number): number {
    this.ensure(t);
    return modPrime(this.inv[t - 1]! * (w - this.b[t - 1]! + this.prime), this.prime, this.invPrime);
  }
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
 * permutations: band collision rates follow 1 − (1 − J^rows)^bands (test/ops/dedup/oph.test.ts at
 * 100–400 shingles; `npm run bench -- minhash` from 5 to 1,000 shingles at 9,000 bins, where a
 * short document's band repeats shingles across its rows yet collides as often).
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
  /** The maps whose inverse images are the bins' densification sequences. */
  readonly rounds: DensifyRounds;
  private readonly nonEmpty: Int32Array;
  /** Per bin: NON_EMPTY, EMPTY_BIN (not filled yet) or FILLED. One byte, so the random probes of
   *  densification stay in the L1 cache (9 KB for 9,000 bins). */
  private readonly state: Int8Array;
  private readonly fillFrom: Int32Array;

  constructor(count: number, seed: number) {
    this.count = count;
    this.rank = new Float64Array(count);
    this.tag = new Uint32Array(count);
    const [binSeed, mixSeed, roundSeed] = seeds(3, seed, 0x6f7068b1);
    this.binSeed = binSeed!;
    this.mixSeed = mixSeed!;
    this.rounds = new DensifyRounds(count, roundSeed!);
    this.nonEmpty = new Int32Array(count);
    this.state = new Int8Array(count);
    this.fillFrom = new Int32Array(count);
    this.reset();
  }

  reset(): void {
    this.rank.fill(EMPTY);
  }

  /** The bin and rank of one 64-bit shingle hash: what {@link update} computes for each. */
  place(hi: number, lo: number): { bin: number; rank: number } {
    const t = fmix32((hi ^ fmix32(lo ^ this.mixSeed) ^ this.binSeed) >>> 0) * this.count;
    const bin = Math.floor(t * INV32);
    return { bin, rank: t - bin * T32 };
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

  /**
   * Fills the empty bins; a document without any shingle stays empty. This is most of the cost of
   * a signature at 9,000 bins (~40,000 probes for a 300-shingle document, each a random read of
   * `state`, kept to a byte per bin for the cache; docs/benchmarks.md, session 7).
   */
  private densify(): void {
    const K = this.count;
    const rank = this.rank;
    const tag = this.tag;
    const nonEmpty = this.nonEmpty;
    const state = this.state;
    const from = this.fillFrom;
    let n = 0;
    for (let w = 0; w < K; w++) {
      if (rank[w]! < EMPTY) {
        nonEmpty[n++] = w;
        state[w] = NON_EMPTY;
      } else state[w] = EMPTY_BIN;
    }
    let missing = K - n;
    if (n === 0 || missing === 0) return;
    const rounds = this.rounds;
    const P = rounds.prime;
    const invP = rounds.invPrime;
    let round = 0;
    if (n === 1) {
      // Every sequence's first non-empty bin is the only one.
      from.fill(nonEmpty[0]!);
      state.fill(FILLED);
      state[nonEmpty[0]!] = NON_EMPTY;
      missing = 0;
    }
    while (missing >= n) {
      round++;
      rounds.ensure(round);
      const a = rounds.a[round - 1]!;
      const b = rounds.b[round - 1]!;
      for (let i = 0; i < n; i++) {
        const j = nonEmpty[i]!;
        const v = modPrime(a * j + b, P, invP);
        if (v < K && state[v] === EMPTY_BIN) {
          state[v] = FILLED;
          from[v] = j;
          missing--;
        }
      }
    }
    if (missing > 0) {
      for (let w = 0; w < K; w++) {
        if (state[w] !== EMPTY_BIN) continue;
        for (let t = round + 1; ; t++) {
          rounds.ensure(t);
          const j = modPrime(rounds.inv[t - 1]! * (w - rounds.b[t - 1]! + P), P, invP);
          if (j < K && state[j] === NON_EMPTY) {
            state[w] = FILLED;
            from[w] = j;
            break;
          }
        }
      }
    }
    for (let w = 0; w < K; w++) {
      if (state[w] !== FILLED) continue;
      rank[w] = rank[from[w]!]!;
      tag[w] = tag[from[w]!]!;
    }
  }
}
