import type { ExprNode } from './expr.ts';
import type { DedupSpec, SinkSpec, SourceSpec } from './logical-plan.ts';

/**
 * The physical plan: stages of fused narrow steps, cut where data must move between partitions.
 * Plain JSON: it is what workers receive and what the run fingerprint hashes.
 */
export interface PhysicalPlan {
  stages: PhysicalStage[];
  /** Modules workers import before running tasks, so user-defined operators are registered. */
  modules: string[];
}

/** One contiguous piece of one input: a file (range, row groups) or rows of a `records` source. */
export interface InputSplit {
  /** Input file and its index in the source's sorted file list (scan stages). */
  file?: string;
  fileIndex?: number;
  /** Byte range [start, end) inside the file (JSONL at line boundaries, WARC at record offsets). */
  start?: number;
  end?: number;
  /** Parquet row groups to read. */
  rowGroups?: number[];
  /** Rows [start, end) of an in-memory `records` source. */
  rows?: [number, number];
  /** Input bytes the split covers (compressed, as stored): what tasks are sized by. */
  bytes?: number;
}

/**
 * One unit of work: a stage runs one task per partition. A scan partition is one split (the
 * fields inherited from {@link InputSplit}) or, when small inputs were coalesced, `inputs`: several
 * splits read one after another in input order.
 */
export interface PartitionSpec extends InputSplit {
  /** Position of the partition in the stage; output order follows it. */
  index: number;
  /** Splits this task reads in order (a coalesced task); absent for a single-split task. */
  inputs?: InputSplit[];
  /** For a stage reading `{kind:'stages'}` (a union): the upstream stage and partition this
   *  partition reads. Partitions follow the branches in order, then each branch's partitions. */
  upstream?: { stage: string; partition: number };
}

/** A narrow step, run inside a stage's fused loop. */
export type PhysicalStep =
  | { kind: 'filter'; predicate: ExprNode }
  | { kind: 'select'; columns: { name: string; expr: ExprNode }[] }
  | { kind: 'withColumns'; columns: { name: string; expr: ExprNode }[] }
  | { kind: 'drop'; columns: string[] }
  | { kind: 'apply'; op: string; options: Record<string, unknown> }
  | { kind: 'limit'; n: number };

/** The wide step that starts a stage by reading all partitions of its parent stage. */
export type WideStep =
  | { kind: 'dedup'; dedup: DedupSpec }
  | { kind: 'repartition'; partitions: number }
  | { kind: 'apply'; op: string; options: Record<string, unknown> }
  /** A global limit followed by more work: the first `n` rows of the parent's output, concatenated
   *  in partition order, as a single partition. */
  | { kind: 'limit'; n: number };

export type StageInput =
  | { kind: 'scan'; source: SourceSpec; columns?: string[]; predicate?: ExprNode; limit?: number }
  /** Outputs of earlier stages, concatenated in stage order (a union). */
  | { kind: 'stages'; stages: string[] }
  /** All partitions of the parent stage, through a wide step. */
  | { kind: 'wide'; stage: string; wide: WideStep };

export interface PhysicalStage {
  /** Stable id (`s0`, `s1`, ...), used in blob keys and in task ids (`s0.3`). */
  id: string;
  input: StageInput;
  partitions: PartitionSpec[];
  steps: PhysicalStep[];
  /** `stage`: feeds a later stage; `result`: returned by collect(); `sink`: written to a sink. */
  output: { kind: 'stage' } | { kind: 'result' } | { kind: 'sink'; sink: SinkSpec };
  /**
   * Global row limit. Each partition already applies it as a `limit` step; the executor keeps only
   * the first `limit` rows of the stage's output concatenated in partition order, whatever the
   * output kind. Only row-local, non-filtering steps (select/withColumns/drop) may follow the
   * `limit` step in the same stage; anything else starts a new stage through a wide `limit`.
   */
  limit?: number;
}
