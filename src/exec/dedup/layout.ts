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
  /** Star edges of band partition `k`'s local components (the bucket task's commit). */
  stars(stage: string, k: number): string {
    return `stages/${stage}/dedup/stars/${pad(k)}.edges`;
  },
  /** Verdicts for the documents of parent partition `p`: root ordinals, then cluster sizes (u32). */
  assign(stage: string, p: number): string {
    return `stages/${stage}/dedup/assign/${pad(p)}.u32`;
  },
  /** Written after every `assign` blob: the merge task's commit, with its counts. */
  merged(stage: string): string {
    return `stages/${stage}/dedup/assign/done.json`;
  },
} as const;
