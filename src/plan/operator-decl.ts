/**
 * What the planner knows about an operator: only this declaration, never its code.
 * Computed from the validated options, because e.g. the column a filter reads is an option.
 */
export interface OperatorDecl {
  /** Columns the operator reads. */
  reads: string[];
  /** Columns it adds or overwrites. */
  writes: string[];
  /** Columns it removes from the batch. */
  removes: string[];
  /** Whether it may drop rows (with a reason per dropped row). */
  filters: boolean;
  /** `narrow` runs per partition; `wide` needs all partitions (the planner cuts a stage). */
  kind: 'narrow' | 'wide';
  /** Estimated cost per row in nanoseconds; the planner orders filters by it. */
  costPerRow: number;
  /** Expected fraction of rows kept, in [0, 1]; used with `costPerRow` to order filters. */
  selectivity?: number;
  /** The drop reasons it can emit, each `<operator name>:<reason>`, e.g. `gopher_repetition:dup_line_frac`. */
  dropReasons?: string[];
}
