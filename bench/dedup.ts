import { accuracy } from './dedup/accuracy.ts';
import { endToEnd } from './dedup/end-to-end.ts';
import { loadCorpus } from './dedup/corpus.ts';
import { scale } from './dedup/scale.ts';
import { throughput } from './dedup/throughput.ts';

/**
 * Dedup benchmarks (JSON lines): (c) clustering 1M synthetic documents through on-disk shuffle
 * files with peak RSS (run first, so the peak is the clustering's, not the corpus'), (a) signature
 * throughput per core on the shared corpus vs a BigInt MinHash and vs xxhash-wasm shingle hashing,
 * (b) precision/recall of removed documents vs exact all-pairs Jaccard on the corpus plus
 * near-duplicates made by realistic edits, (d) end to end through `sluice run`'s wide stages over
 * 1M synthetic small documents with the run's peak RSS. `DEDUP_SCALE_DOCS` / `DEDUP_E2E_DOCS`
 * override the 1M document counts.
 */
export default async function run(): Promise<void> {
  const emit = (row: Record<string, unknown>) => console.log(JSON.stringify(row));
  await scale(Number(process.env.DEDUP_SCALE_DOCS ?? 1_000_000), emit);
  const corpus = loadCorpus();
  await throughput(corpus, emit);
  accuracy(corpus, emit);
  await endToEnd(Number(process.env.DEDUP_E2E_DOCS ?? 1_000_000), emit);
}
