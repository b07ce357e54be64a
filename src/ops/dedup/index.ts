/**
 * Deduplication: MinHash-LSH fuzzy dedup, exact dedup and URL dedup as plain functions over typed
 * arrays. `df.dedup(minhash() | exact() | byUrl())` (specs.ts) runs them as wide stages; the
 * executor side is src/exec/dedup (map.ts, phases.ts, input.ts; local.ts for collect()):
 *
 * 1. Map (fused into the stage before the `dedup` cut): each committed piece of a parent task also
 *    gets its band records — `signer.sign(texts)` → `bandRecords`, or `keyRecords(exactKeys|urlKeys)`
 *    — with doc = row position in the task's output, split by `partitionRecords(records, K)` into
 *    K band partitions, one blob each (blob store: checksummed, verified on read).
 * 2. Bucket (wide, K tasks in parallel): partition k's records from every parent piece, doc made a
 *    global input ordinal (partition offset + position; partitions are in input order), then per
 *    band `bucket` → `localComponents` → star edges, committed.
 * 3. Merge (one task): every partition's stars into `ComponentMerger` (4 bytes per document); per
 *    parent partition, root (= cluster id, the smallest ordinal: the first document) and size.
 * 4. Filter (narrow, the `dedup` step first in the stage after the cut): parent partition p's
 *    documents, in order, marked kept iff root = own ordinal; others dropped with
 *    `dedup:minhash_duplicate` / `dedup:exact_duplicate` / `dedup:url_duplicate` (DROP_REASONS); optionally
 *    `cluster_id` / `cluster_size` columns.
 *
 * Optional verification (in-memory `fuzzyDedupLocal` only; the wide stages move band hashes, not
 * texts): pass `verify(a, b)` to `localComponents`, e.g. exact Jaccard of the shingle sets
 * (`signer.shingle(text)` → `shingleSet` → `jaccard`) ≥ `verifyJaccard`.
 */
export { TextNormConfig, normalizeText, wordHashes, LaneBuffer, DEFAULT_TEXT_NORM, RAW_TEXT } from './normalize.ts';
export { wordShingles, charShingles } from './shingles.ts';
export { MinHasher, makePermutations, type Permutations } from './mersenne.ts';
export { OnePermutationHasher } from './oph.ts';
export {
  PRESETS, MinhashOptions, MinhashSigner, resolveMinhash, signatures, bandHashes, collisionProbability, makeFamily,
  type MinhashConfig, type MinhashFamily, type PresetName, type SignatureBatch,
} from './minhash.ts';
export {
  bucket, bandRecords, keyRecords, bandPartition, partitionRecords, concatRecords, allocRecords,
  type BandRecords, type EdgeChunk,
} from './lsh.ts';
export { localComponents, ComponentMerger, Assignments, components, type VerifyPair } from './components.ts';
export { EdgeSpillWriter, readEdgeSpill } from './spill.ts';
export { exactKeys, urlKeys, normalizeUrl, type KeyBatch } from './keys.ts';
export { shingleSet, jaccard } from './jaccard.ts';
export { hashString64 } from './hash32.ts';

export { clusterRecords, fuzzyDedupLocal, exactDedupLocal, urlDedupLocal } from './local-run.ts';
export { encodeRecords, decodeRecords, encodeEdges, decodeEdges } from './codec.ts';
export { minhash, exact, byUrl, MinhashDedupOptions, ExactDedupOptions, UrlDedupOptions } from './specs.ts';
export { dedupFilter, DROP_REASONS, KEEP_COLUMN, CLUSTER_ID, CLUSTER_SIZE } from './dedup-filter.ts';
