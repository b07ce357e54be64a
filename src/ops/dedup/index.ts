/**
 * Deduplication: MinHash-LSH fuzzy dedup, exact dedup and URL dedup as plain functions over typed
 * arrays. The wide stages in src/exec call them in this order (the seam):
 *
 * 1. Map (narrow, fused into the stage before the `dedup` cut), per partition:
 *    - MinHash: `signer = new MinhashSigner(resolveMinhash(options))` once per worker, then per
 *      batch `sig = signer.sign(textColumn)` and `records = bandRecords(sig, B, docs)`.
 *    - Exact / URL: `keyRecords(exactKeys(texts).keys, docs, valid)` / `urlKeys(urls)`.
 *    `docs[i]` is the row's dense input ordinal: partition prefix count + row index, where
 *    partitions are in input order (DOC_FILE, DOC_POS), so smaller ordinal = earlier document.
 *    Then `partitionRecords(records, P)` and write part p to shuffle partition p (blob store).
 * 2. Bucket (wide), per shuffle partition p (independent): `edges = bucket(concatRecords(parts))`,
 *    then `stars = localComponents(edges, verify?)`; write `stars` (small: < #docs in p).
 * 3. Cluster: `assign = await components(streamOfStarChunks, totalDocCount)`; memory is 4 bytes per
 *    document, edges are streamed (see spill.ts). Deterministic: kept = smallest ordinal.
 * 4. Filter (narrow), per partition: drop row `i` unless `assign.isKept(docs[i])`, reason
 *    `minhash_duplicate` / `exact_duplicate` / `url_duplicate` (DROP_REASONS); optionally add
 *    `cluster_id = assign.root[d]` and `cluster_size = assign.size[d]` to kept rows.
 *
 * Optional verification: pass `verify(a, b)` to `localComponents`, e.g. exact Jaccard of the
 * shingle sets (`signer.shingle(text)` → `shingleSet` → `jaccard`) ≥ `verifyJaccard`.
 */
export { TextNormConfig, normalizeText, wordHashes, LaneBuffer, DEFAULT_TEXT_NORM, RAW_TEXT } from './normalize.ts';
export { wordShingles, charShingles } from './shingles.ts';
export { MinHasher, makePermutations, type Permutations } from './mersenne.ts';
export {
  PRESETS, MinhashOptions, MinhashSigner, resolveMinhash, signatures, bandHashes, collisionProbability,
  type MinhashConfig, type PresetName, type SignatureBatch,
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

/** Drop reasons of the dedup filter step, by strategy. */
export const DROP_REASONS = {
  minhash: 'minhash_duplicate',
  exact: 'exact_duplicate',
  url: 'url_duplicate',
} as const;
export { clusterRecords, fuzzyDedupLocal, exactDedupLocal, urlDedupLocal } from './local-run.ts';
export { encodeRecords, decodeRecords, encodeEdges, decodeEdges } from './codec.ts';
export { minhash, exact, byUrl, MinhashDedupOptions, ExactDedupOptions, UrlDedupOptions } from './specs.ts';
export { dedupFilter, KEEP_COLUMN, CLUSTER_ID, CLUSTER_SIZE } from './filter-op.ts';
