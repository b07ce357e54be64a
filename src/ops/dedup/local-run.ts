import { ComponentMerger, localComponents, type Assignments, type VerifyPair } from './components.ts';
import { jaccard, shingleSet } from './jaccard.ts';
import { exactKeys, urlKeys } from './keys.ts';
import { bandRecords, bucket, keyRecords, partitionRecords, type BandRecords } from './lsh.ts';
import { MinhashSigner, resolveMinhash, type MinhashOptions } from './minhash.ts';

/**
 * The whole dedup flow in one process, over documents already in memory, with the same partitioned
 * steps the wide stages run (map → shuffle by band-hash range → bucket → local components →
 * merge). For tests, the accuracy benchmark and small jobs; doc ordinals are the array indices.
 */
export function clusterRecords(records: BandRecords, docCount: number, partitions = 1, verify?: VerifyPair): Assignments {
  const merger = new ComponentMerger(docCount);
  for (const part of partitionRecords(records, partitions)) merger.add(localComponents(bucket(part), verify));
  return merger.finish();
}

/** MinHash-LSH fuzzy dedup of `texts`; `verifyJaccard` > 0 checks candidates by exact Jaccard. */
export function fuzzyDedupLocal(texts: readonly string[], options: MinhashOptions = {}, partitions = 1): Assignments {
  const cfg = resolveMinhash(options);
  const signer = new MinhashSigner(cfg);
  const docs = texts.map((_, i) => i);
  const records = bandRecords(signer.sign(texts), cfg.bands, docs);
  let verify: VerifyPair | undefined;
  if (cfg.verifyJaccard > 0) {
    const sets = new Map<number, Float64Array>();
    const setOf = (d: number) => {
      let s = sets.get(d);
      if (!s) {
        const sh = signer.shingle(texts[d]!);
        s = shingleSet(sh.hi, sh.lo, sh.count);
        sets.set(d, s);
      }
      return s;
    };
    verify = (a, b) => jaccard(setOf(a), setOf(b)) >= cfg.verifyJaccard;
  }
  return clusterRecords(records, texts.length, partitions, verify);
}

/** Exact dedup of `texts` (normalized-text hash), keep first. */
export function exactDedupLocal(texts: readonly (string | null)[], partitions = 1): Assignments {
  const k = exactKeys(texts);
  return clusterRecords(keyRecords(k.keys, texts.map((_, i) => i), k.valid), texts.length, partitions);
}

/** URL dedup of `urls` (normalized URL), keep first. */
export function urlDedupLocal(urls: readonly (string | null)[], partitions = 1): Assignments {
  const k = urlKeys(urls);
  return clusterRecords(keyRecords(k.keys, urls.map((_, i) => i), k.valid), urls.length, partitions);
}
