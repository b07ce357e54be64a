import { accuracy } from './dedup/accuracy.ts';
import { loadCorpus } from './dedup/corpus.ts';
import { scale } from './dedup/scale.ts';
import { throughput } from './dedup/throughput.ts';

/**
 * Dedup benchmarks (JSON lines): (c) clustering 1M synthetic documents through on-disk shuffle
 * files with peak RSS (run first, so the peak is the clustering's, not the corpus'), (a) signature
 * throughput per core on the shared corpus vs a BigInt MinHash and vs xxhash-wasm shingle hashing,
 * (b) precision/recall of removed documents vs exact all-pairs Jaccard on the corpus plus
 * near-duplicates made by realistic edits. `DEDUP_SCALE_DOCS` overrides the 1M document count.
 */
export default async function run(): Promise<void> {
  const emit = (row: Record<string, unknown>) => console.log(JSON.stringify(row));
  await scale(Number(process.env.DEDUP_SCALE_DOCS ?? 1_000_000), emit);
  const corpus = loadCorpus();
  await throughput(corpus, emit);
  accuracy(corpus, emit);
}
