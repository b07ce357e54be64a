import type { ExprNode, Scalar } from './expr.ts';
import type { OperatorDecl } from './operator-decl.ts';

/**
 * Logical plan nodes. Plain JSON data: plans are hashed (run fingerprint), printed (`explain`) and
 * shipped to workers. Rules in `rules/` are pure functions from one plan to another.
 */

/** A column of a source's schema, with its Arrow type printed (`Utf8`, `Int64`, ...). */
export interface FieldSpec {
  name: string;
  type: string;
}

/** Where rows come from. `format` selects a reader in `src/dataframe/sources`. */
export interface SourceSpec {
  format: 'jsonl' | 'parquet' | 'arrow' | 'records' | 'warc';
  /** Input files, sorted: input order defines document identity and output order. */
  paths: string[];
  /** Columns the source provides, when known at plan time (Parquet/Arrow metadata, JSONL sample). */
  schema?: FieldSpec[];
  /** Reader-specific options (e.g. inline rows for `records`, content types for `warc`). */
  options?: Record<string, unknown>;
}

/** Where the final rows go. */
export type SinkSpec =
  | { format: 'parquet'; path: string }
  | { format: 'jsonl'; path: string }
  | { format: 'tokens'; path: string; options: Record<string, unknown> };

/** How the dedup step identifies duplicates; executed as wide stages (see src/exec). */
export interface DedupSpec {
  strategy: 'exact' | 'url' | 'minhash' | 'substrings';
  options: Record<string, unknown>;
}

export type LogicalPlan =
  | {
      kind: 'scan';
      source: SourceSpec;
      /** Columns to read; absent means all. Set by `prune-columns`. */
      columns?: string[];
      /** Predicate evaluated inside the reader (row-group skipping, then exact). */
      predicate?: ExprNode;
      /** At most this many rows are needed. Set by `push-down-limit`. */
      limit?: number;
    }
  | { kind: 'filter'; input: LogicalPlan; predicate: ExprNode }
  /** Keeps exactly these columns, computing each from an expression. */
  | { kind: 'select'; input: LogicalPlan; columns: { name: string; expr: ExprNode }[] }
  /** Adds or replaces columns, keeping all others. Every expression reads the node's input, not
   *  columns defined earlier in the same node (the optimizer substitutes expressions on that basis). */
  | { kind: 'withColumns'; input: LogicalPlan; columns: { name: string; expr: ExprNode }[] }
  | { kind: 'drop'; input: LogicalPlan; columns: string[] }
  /** A batch operator from src/ops, referenced by name with validated options. */
  | { kind: 'apply'; input: LogicalPlan; op: string; options: Record<string, unknown>; decl: OperatorDecl }
  | { kind: 'dedup'; input: LogicalPlan; dedup: DedupSpec }
  | { kind: 'limit'; input: LogicalPlan; n: number }
  | { kind: 'union'; inputs: LogicalPlan[] }
  | { kind: 'repartition'; input: LogicalPlan; partitions: number }
  | { kind: 'sink'; input: LogicalPlan; sink: SinkSpec };

export type PlanKind = LogicalPlan['kind'];

/**
 * Columns every document carries from its scan: the index of its input file in the sorted file list
 * and its position there (byte offset or row number). Determinism, resume, dedup's keep-first rule,
 * quarantine reports and stats all key on them, never on completion order or worker id.
 */
export const DOC_FILE = '__file';
export const DOC_POS = '__pos';
export const SYSTEM_COLUMNS: readonly string[] = [DOC_FILE, DOC_POS];

export type { ExprNode, Scalar };
