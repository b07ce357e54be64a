import { z } from 'zod';
import type { DedupSpec } from '../../plan/logical-plan.ts';
import { MinhashOptions } from './minhash.ts';
import { TextNormConfig } from './normalize.ts';

/**
 * Builders of {@link DedupSpec}s for `df.dedup(...)`. Every strategy keeps the first document of
 * each cluster in input order (smallest `__file`, `__pos`) and leaves documents in input order; it
 * runs as wide stages (see src/exec/dedup). The spec always names its key `column` so column
 * pruning keeps it.
 */

const ClusterColumns = {
  /** Add `cluster_id` (input ordinal of the kept document) and `cluster_size` to kept rows. */
  clusterColumns: z.boolean().default(false),
  /**
   * Directory (a local path or an `s3://` prefix) to write this run's dedup index into (the band
   * hashes or keys of every document the dedup reads, plus `index.json` naming the strategy, its parameters and a probe of its hash
   * family), for later runs' `againstIndexes`. Default: none.
   */
  writeIndex: z.string().min(1).optional(),
  /**
   * Index directories of earlier runs: a document whose band hash (MinHash) or key (exact, URL)
   * is in one of them is dropped as `dedup:index_duplicate`; documents of this run still dedup
   * among themselves. An index of another strategy, parameters or hash family is refused. Default: none.
   */
  againstIndexes: z.array(z.string().min(1)).default([]),
};

/** Options of {@link minhash}: the MinHash settings plus `clusterColumns`. */
export const MinhashDedupOptions = MinhashOptions.extend({
  ...ClusterColumns,
  // Candidate verification needs both texts at bucketing time; the wide stages only move band
  // hashes, so it is limited to the in-memory `fuzzyDedupLocal`.
  verifyJaccard: z.literal(0).default(0),
});
export type MinhashDedupOptions = z.input<typeof MinhashDedupOptions>;

export const ExactDedupOptions = z.object({
  /** Text column; its normalized form is hashed (64-bit). */
  column: z.string().default('text'),
  /** Normalization before hashing (default: lowercase, collapse whitespace, strip punctuation). */
  norm: TextNormConfig.partial().optional(),
  ...ClusterColumns,
});
export type ExactDedupOptions = z.input<typeof ExactDedupOptions>;

export const UrlDedupOptions = z.object({
  /** URL column; compared after `normalizeUrl`. */
  column: z.string().default('url'),
  /**
   * Which document of a URL is kept: the first in input order (default), or the newest by
   * `dateColumn` (RefinedWeb keeps the most recent crawl of a URL); equal or missing dates fall back
   * to input order, and a document without a parseable date counts as older than any dated one.
   */
  keep: z.enum(['first', 'newest']).default('first'),
  /** Date column for `keep: 'newest'` (ISO 8601 such as WARC-Date; default `date`). */
  dateColumn: z.string().default('date'),
  ...ClusterColumns,
});
export type UrlDedupOptions = z.input<typeof UrlDedupOptions>;

function spec(strategy: DedupSpec['strategy'], schema: z.ZodType, options: unknown): DedupSpec {
  const parsed = schema.safeParse(options ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; ');
    throw new Error(`invalid ${strategy} dedup options: ${issues}`);
  }
  return { strategy, options: parsed.data as Record<string, unknown> };
}

/**
 * MinHash-LSH fuzzy dedup, e.g. `df.dedup(minhash({ preset: 'fineweb' }))`. Two documents share a
 * band with probability 1 − (1 − J^rows)^bands for Jaccard J of their shingle sets.
 *
 * The default hash family, one-permutation hashing with optimal densification (`family: 'oph'`,
 * see oph.ts), costs O(shingles + hashes · log hashes) per document instead of O(shingles ·
 * hashes): ~1,250 documents per CPU-second with the `refinedweb` preset's 9,000 hashes, 22× the
 * exact family (docs/benchmarks.md, `minhash`). Short documents: a document of m shingles fills
 * at most m of the bands·rows bins and densification copies them into the rest (99.8% of 9,000
 * for m = 20), so the rows of a band repeat shingles (about 13 distinct of 20 at m = 20, 5 at
 * m = 5). Collision rates still follow the S-curve, measured from 5 to 1,000 shingles within
 * sampling error and tested within 3 points at 100–400 shingles for 14 × 8 and 450 × 20, because
 * each row's source is drawn independently given the two documents. `family: 'permutations'`
 * reproduces the exact `(a·x + b) mod (2^61 − 1)` signatures of earlier versions bit for bit.
 * The family and seed are part of the spec, hence of the plan fingerprint.
 */
export function minhash(options: MinhashDedupOptions = {}): DedupSpec {
  return spec('minhash', MinhashDedupOptions, options);
}

/** Exact dedup on the hash of the normalized text, keep first: `df.dedup(exact())`. */
export function exact(options: ExactDedupOptions = {}): DedupSpec {
  return spec('exact', ExactDedupOptions, options);
}

/** URL dedup on the normalized URL (see `normalizeUrl`), keep first or newest: `df.dedup(byUrl({ keep: 'newest' }))`. */
export function byUrl(options: UrlDedupOptions = {}): DedupSpec {
  return spec('url', UrlDedupOptions, options);
}
