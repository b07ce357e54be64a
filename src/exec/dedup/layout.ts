import { keys, pad } from '../state/layout.ts';

/** Blob keys of the dedup phases (see src/exec/dedup/index.ts), next to the stages they belong to. */
export const dedupKeys = {
  /** Band records of band partition `k` from piece `seq` of a parent task (written only if non-empty). */
  records(stage: string, partition: number, seq: number, k: number): string {
    return `${keys.task(stage, partition)}/dedup/${pad(seq)}-k${pad(k)}.rec`;
  },
  /** `{cpuMs}` of bucket task `k`, written just before its edges (for `stats.json`). */
  bucketCost(stage: string, k: number): string {
    return `stages/${stage}/dedup/stars/${pad(k)}.cost.json`;
  },
  /**
   * Star edges of band partition `k`'s local components: the bucket task's commit. Substring dedup
   * commits its bucket summary (JSON: passes, records, hits) under the same key.
   */
  stars(stage: string, k: number): string {
    return `stages/${stage}/dedup/stars/${pad(k)}.edges`;
  },
  /** Substring dedup: cut window occurrences (doc, pos u32 pairs) of bucket `k`, pass `pass`, in parent partition `p`. */
  hits(stage: string, k: number, pass: number, p: number): string {
    return `stages/${stage}/dedup/hits/${pad(k)}-${pad(pass)}-${pad(p)}.u32`;
  },
  /**
   * Verdicts for the documents of parent partition `p`: root ordinals, then cluster sizes (u32);
   * for substring dedup, the documents' cut spans (src/ops/dedup/substrings-spans.ts).
   */
  assign(stage: string, p: number): string {
    return `stages/${stage}/dedup/assign/${pad(p)}.u32`;
  },
  /** Input ordinals (u32, ascending) of band partition `k`'s documents found in earlier runs' indexes. */
  indexed(stage: string, k: number): string {
    return `stages/${stage}/dedup/indexed/${pad(k)}.u32`;
  },
  /** Per document of parent partition `p`, 1 when it is in an earlier run's index (u8). */
  inIndex(stage: string, p: number): string {
    return `stages/${stage}/dedup/assign/${pad(p)}.index.u8`;
  },
  /** Written after every `assign` blob: the merge task's commit, with its counts. */
  merged(stage: string): string {
    return `stages/${stage}/dedup/assign/done.json`;
  },
} as const;
