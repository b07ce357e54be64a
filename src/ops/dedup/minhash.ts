import { z } from 'zod';
import { LANE_SEED_HI, LANE_SEED_LO, fmix32, stepHi, stepLo } from './hash32.ts';
import { MinHasher, makePermutations } from './mersenne.ts';
import { LaneBuffer, RAW_TEXT, TextNormConfig, normalizeText, wordHashes } from './normalize.ts';
import { OnePermutationHasher } from './oph.ts';
import { charShingles, wordShingles } from './shingles.ts';

/**
 * Published MinHash-LSH settings. `fineweb`: datatrove's MinhashConfig defaults as used for
 * FineWeb (14 buckets × 8 hashes, 5-grams; threshold ≈ (1/14)^(1/8) ≈ 0.72). `refinedweb`:
 * RefinedWeb §G.3 / Penedo et al. 2023 (450 × 20, 5-grams). `nemo`: NeMo Curator's fuzzy dedup
 * defaults (20 bands × 13 rows = 260 hashes, 24-character n-grams of the raw text).
 */
export const PRESETS = {
  fineweb: { bands: 14, rows: 8, shingle: 'word', n: 5 },
  refinedweb: { bands: 450, rows: 20, shingle: 'word', n: 5 },
  nemo: { bands: 20, rows: 13, shingle: 'char', n: 24 },
} as const;
export type PresetName = keyof typeof PRESETS;

/** MinHash options; a preset fills bands/rows/shingle/n unless given explicitly. */
export const MinhashOptions = z.object({
  preset: z.enum(['fineweb', 'refinedweb', 'nemo']).default('fineweb'),
  bands: z.number().int().min(1).max(4096).optional(),
  rows: z.number().int().min(1).max(64).optional(),
  /** `word`: word n-grams of the normalized text; `char`: character n-grams. */
  shingle: z.enum(['word', 'char']).optional(),
  n: z.number().int().min(1).max(256).optional(),
  /** Normalization; default datatrove's for word shingles, none for the `nemo` preset. */
  norm: TextNormConfig.partial().optional(),
  /**
   * Hash family. `oph` (default): one-permutation hashing with optimal densification, O(shingles +
   * hashes · log hashes) per document; collision rates follow the same S-curve (oph.ts).
   * `permutations`: B·R exact `(a·x + b) mod (2^61 − 1)` permutations, O(shingles · hashes), for
   * signatures bit-identical to earlier sluice versions. The two give different band hashes.
   */
  family: z.enum(['oph', 'permutations']).default('oph'),
  /** Seeds the hash family; every worker must use the same (it is part of the plan). */
  seed: z.number().int().default(1),
  /** Verify candidate pairs by exact Jaccard of shingle sets before uniting (0 = off). */
  verifyJaccard: z.number().min(0).max(1).default(0),
  /** Text column to hash. */
  column: z.string().default('text'),
});
export type MinhashOptions = z.input<typeof MinhashOptions>;

/** Fully resolved MinHash settings. */
export interface MinhashConfig {
  bands: number;
  rows: number;
  shingle: 'word' | 'char';
  n: number;
  norm: TextNormConfig;
  family: 'oph' | 'permutations';
  seed: number;
  verifyJaccard: number;
  column: string;
}

export function resolveMinhash(options: MinhashOptions = {}): MinhashConfig {
  const o = MinhashOptions.parse(options);
  const p = PRESETS[o.preset];
  const shingle = o.shingle ?? p.shingle;
  const baseNorm = o.preset === 'nemo' && !o.norm ? RAW_TEXT : TextNormConfig.parse({});
  return {
    bands: o.bands ?? p.bands,
    rows: o.rows ?? p.rows,
    shingle,
    n: o.n ?? p.n,
    norm: { ...baseNorm, ...o.norm },
    family: o.family,
    seed: o.seed,
    verifyJaccard: o.verifyJaccard,
    column: o.column,
  };
}

/** Probability that two documents with Jaccard `s` share at least one band: 1 − (1 − s^R)^B. */
export function collisionProbability(s: number, bands: number, rows: number): number {
  return 1 - (1 - s ** rows) ** bands;
}

/**
 * Signatures of a batch, row-major in preallocated typed arrays.
 * `bands[(i·B + b)·2 + {0,1}]` is the 64-bit hash of band `b` of document `i`; `valid[i]` is 0 for
 * documents without any shingle (empty after normalization), which take part in no bucket.
 */
export interface SignatureBatch {
  count: number;
  bands: Uint32Array;
  valid: Uint8Array;
  /** The B·R hash values, `(hi32, lo32)` each, when `keepMinima` was asked for. */
  minima?: Uint32Array;
  /**
   * Milliseconds `sign` took (shingling, hashing, band hashes): synchronous work without I/O on
   * the calling thread, so its CPU time unless the OS preempted the thread (Node 20 has no
   * per-thread CPU clock). For attributing signing cost in run statistics.
   */
  signMs: number;
}

/** What a hash family does per document: `reset`, `update` with shingle hashes, `write` B·R values. */
export interface MinhashFamily {
  readonly count: number;
  reset(): void;
  update(hi: Uint32Array, lo: Uint32Array, count: number): void;
  /** Writes `count` 64-bit values as `(hi32, lo32)` pairs to `out[at...]`. */
  write(out: Uint32Array, at: number): void;
}

/** The family of `config`, seeded by `config.seed`. */
export function makeFamily(config: MinhashConfig): MinhashFamily {
  const count = config.bands * config.rows;
  return config.family === 'oph'
    ? new OnePermutationHasher(count, config.seed)
    : new MinHasher(makePermutations(count, config.seed));
}

/**
 * Computes shingles → MinHash → band hashes for documents, reusing its buffers: create one per
 * worker (`init`) and call {@link MinhashSigner.sign} per batch.
 */
export class MinhashSigner {
  readonly config: MinhashConfig;
  readonly hasher: MinhashFamily;
  private readonly words = new LaneBuffer();
  private readonly shingles = new LaneBuffer();
  private readonly row: Uint32Array;
  private readonly rawText: boolean;

  constructor(config: MinhashConfig) {
    this.config = config;
    this.rawText = Object.values(config.norm).every((v) => !v);
    this.hasher = makeFamily(config);
    this.row = new Uint32Array(2 * config.bands * config.rows);
  }

  /** Shingle hashes of one document into the signer's buffer; returns their count. */
  shingle(text: string): { hi: Uint32Array; lo: Uint32Array; count: number } {
    const { shingle, n, norm } = this.config;
    let count: number;
    if (shingle === 'word') {
      const w = wordHashes(text, norm, this.words);
      count = wordShingles(this.words, w, n, this.shingles);
    } else {
      const t = this.rawText ? text : normalizeText(text, norm);
      count = charShingles(t, n, this.shingles);
    }
    return { hi: this.shingles.hi, lo: this.shingles.lo, count };
  }

  /** Signs `texts` (null/undefined count as empty). */
  sign(texts: ArrayLike<string | null | undefined>, keepMinima = false): SignatureBatch {
    const started = performance.now();
    const { bands: B, rows: R } = this.config;
    const count = texts.length;
    const out: SignatureBatch = {
      count,
      bands: new Uint32Array(count * B * 2),
      valid: new Uint8Array(count),
      ...(keepMinima ? { minima: new Uint32Array(count * B * R * 2) } : {}),
      signMs: 0,
    };
    for (let i = 0; i < count; i++) {
      const s = this.shingle(texts[i] ?? '');
      if (s.count === 0) continue;
      out.valid[i] = 1;
      this.hasher.reset();
      this.hasher.update(s.hi, s.lo, s.count);
      this.hasher.write(this.row, 0);
      if (out.minima) out.minima.set(this.row, i * B * R * 2);
      bandHashes(this.row, B, R, out.bands, i * B * 2);
    }
    out.signMs = performance.now() - started;
    return out;
  }
}

/** Hashes each band's R minima (2R uint32) to 64 bits, written as pairs to `out[at...]`. */
export function bandHashes(minima: Uint32Array, bands: number, rows: number, out: Uint32Array, at: number): void {
  for (let b = 0; b < bands; b++) {
    let hi = LANE_SEED_HI;
    let lo = LANE_SEED_LO;
    for (let j = 2 * b * rows, end = 2 * (b + 1) * rows; j < end; j++) {
      hi = stepHi(hi, minima[j]!);
      lo = stepLo(lo, minima[j]!);
    }
    out[at + 2 * b] = fmix32(hi);
    out[at + 2 * b + 1] = fmix32(lo);
  }
}

/** Convenience for one-off use: resolves options, builds a signer, signs the batch. */
export function signatures(texts: ArrayLike<string | null | undefined>, options: MinhashOptions = {}): SignatureBatch {
  return new MinhashSigner(resolveMinhash(options)).sign(texts);
}
