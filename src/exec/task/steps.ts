import { Field } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import { columnsOf, dropColumns, makeBatch, setColumn } from '../../dataframe/arrow/batch.ts';
import { evalPredicate, evaluate } from '../../dataframe/eval/evaluate.ts';
import type { ExprNode } from '../../dataframe/expr.ts';
import { SYSTEM_COLUMNS } from '../../planner/logical-plan.ts';

/**
 * What one step did to a batch: `full` has every input row, in order (with the step's columns);
 * rows whose `keep` byte is 0 were removed, each listed under exactly one drop reason or
 * quarantine entry. `keep === null` means every row was kept.
 */
export interface StepResult {
  full: RecordBatch;
  keep: Uint8Array | null;
  drops: Map<string, number[]>;
  quarantines: { row: number; error: string }[];
}

export const kept = (full: RecordBatch): StepResult => ({ full, keep: null, drops: new Map(), quarantines: [] });

/** Drop reason of rows a `filter` step removes. */
export const FILTER_REASON = 'filter';
/** Drop reason of rows past a partition's `limit`. */
export const LIMIT_REASON = 'limit';

export function filterStep(batch: RecordBatch, predicate: ExprNode): StepResult {
  const keep = evalPredicate(predicate, batch);
  const dropped: number[] = [];
  for (let i = 0; i < keep.length; i++) if (!keep[i]) dropped.push(i);
  return { full: batch, keep: dropped.length ? keep : null, drops: dropped.length ? new Map([[FILTER_REASON, dropped]]) : new Map(), quarantines: [] };
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
  const dropped: number[] = [];
  for (let i = Math.max(0, remaining); i < batch.numRows; i++) dropped.push(i);
  return { full: batch, keep, drops: new Map([[LIMIT_REASON, dropped]]), quarantines: [] };
}
