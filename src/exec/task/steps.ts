import { Field } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import { columnsOf, dropColumns, makeBatch, setColumn } from '../../arrow/batch.ts';
import { evalSelection, evaluate } from '../../eval/evaluate.ts';
import type { ExprNode } from '../../plan/expr.ts';
import { SYSTEM_COLUMNS } from '../../plan/logical-plan.ts';
import { formatExpr } from '../../planner/format-plan.ts';

/** Rows removed for one reason: the count, and their indices only when asked (they cost a pass). */
export interface DropSet {
  count: number;
  rows(): Int32Array;
}

/** A drop set over explicit row indices. */
export function dropSetOf(rows: readonly number[]): DropSet {
  return { count: rows.length, rows: () => Int32Array.from(rows) };
}

/**
 * What one step did to a batch: `full` has every input row, in order (with the step's columns);
 * rows whose `keep` byte is 0 were removed, each counted under exactly one drop reason or
 * quarantine entry. `keep === null` means every row was kept.
 */
export interface StepResult {
  full: RecordBatch;
  keep: Uint8Array | null;
  /** Alternatively to `keep`, the indices of the kept rows (filters produce these directly). */
  selected?: Int32Array;
  drops: Map<string, DropSet>;
  quarantines: { row: number; error: string }[];
}

export const kept = (full: RecordBatch): StepResult => ({ full, keep: null, drops: new Map(), quarantines: [] });

/** Drop reason of rows a `filter` step removes: the predicate they failed, as `explain` prints it. */
export const filterReason = (predicate: ExprNode): string => `filter:${formatExpr(predicate)}`;
/** Drop reason of rows past a partition's `limit`. */
export const LIMIT_REASON = 'limit';

export function filterStep(batch: RecordBatch, predicate: ExprNode, reason: string = filterReason(predicate)): StepResult {
  const selected = evalSelection(predicate, batch);
  const n = batch.numRows;
  const count = n - selected.length;
  if (!count) return { full: batch, keep: null, drops: new Map(), quarantines: [] };
  const rows = () => {
    const out = new Int32Array(count);
    for (let i = 0, j = 0, k = 0; i < n; i++) { if (selected[k] === i) k++; else out[j++] = i; }
    return out;
  };
  return { full: batch, keep: null, selected, drops: new Map([[reason, { count, rows }]]), quarantines: [] };
}

/** Keeps exactly the given columns, plus the system columns (document identity travels with every row). */
export function selectStep(batch: RecordBatch, columns: { name: string; expr: ExprNode }[]): StepResult {
  const out = columns.map(({ name, expr }) => {
    const v = evaluate(expr, batch);
    return { field: new Field(name, v.type, true), data: v.data[0]! };
  });
  const names = new Set(columns.map((c) => c.name));
  for (const c of columnsOf(batch)) if (SYSTEM_COLUMNS.includes(c.field.name) && !names.has(c.field.name)) out.push(c);
  return kept(makeBatch(out, batch.numRows));
}

/** Adds or replaces columns; every expression sees the input batch, as in one SQL projection. */
export function withColumnsStep(batch: RecordBatch, columns: { name: string; expr: ExprNode }[]): StepResult {
  const values = columns.map(({ name, expr }) => ({ name, vector: evaluate(expr, batch) }));
  let out = batch;
  for (const { name, vector } of values) out = setColumn(out, name, vector);
  return kept(out);
}

export function dropStep(batch: RecordBatch, columns: string[]): StepResult {
  return kept(dropColumns(batch, columns));
}

/** Keeps the first `remaining` rows; the rest are dropped with reason `limit`. */
export function limitStep(batch: RecordBatch, remaining: number): StepResult {
  if (batch.numRows <= remaining) return kept(batch);
  const keep = new Uint8Array(batch.numRows);
  keep.fill(1, 0, Math.max(0, remaining));
  const from = Math.max(0, remaining);
  const rows = () => Int32Array.from({ length: batch.numRows - from }, (_, k) => from + k);
  return { full: batch, keep, drops: new Map([[LIMIT_REASON, { count: batch.numRows - from, rows }]]), quarantines: [] };
}
