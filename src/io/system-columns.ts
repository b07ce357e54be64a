import { Field, Float64, Int32, makeData } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import { DOC_FILE, DOC_POS } from '../plan/logical-plan.ts';
import { columnsOf, makeBatch } from '../arrow/batch.ts';

/** Appends `__file` (Int32, constant) and `__pos` (Float64) to a batch read from one file. */
export function addSystemColumns(batch: RecordBatch, fileIndex: number, positions: Float64Array): RecordBatch {
  const n = batch.numRows;
  if (positions.length !== n) throw new Error(`positions has ${positions.length} rows, batch has ${n}`);
  const cols = columnsOf(batch).filter((c) => c.field.name !== DOC_FILE && c.field.name !== DOC_POS);
  cols.push({ field: new Field(DOC_FILE, new Int32(), false), data: makeData({ type: new Int32(), length: n, data: constantInt32(fileIndex, n) }) });
  cols.push({ field: new Field(DOC_POS, new Float64(), false), data: makeData({ type: new Float64(), length: n, data: positions }) });
  return makeBatch(cols, n);
}

let lastConstant = new Int32Array(0);

/**
 * `__file` is constant within a batch; consecutive batches of one file share one buffer (Arrow
 * data is immutable, so sharing is safe) instead of allocating and filling one per batch.
 */
function constantInt32(value: number, n: number): Int32Array {
  if (lastConstant.length < n || lastConstant[0] !== value) lastConstant = new Int32Array(Math.max(n, 8192)).fill(value);
  return lastConstant.subarray(0, n);
}

/** Positions `start, start+1, ...` for sources whose position is a row number. */
export function rowPositions(start: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = start + i;
  return out;
}

/** Checks requested columns against what a source has, naming both on error. */
export function checkColumns(requested: readonly string[] | undefined, available: readonly string[], what: string): string[] {
  const wanted = (requested ?? available).filter((c) => c !== DOC_FILE && c !== DOC_POS);
  const missing = wanted.filter((c) => !available.includes(c));
  if (missing.length) {
    throw new Error(`${what}: unknown column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} (available: ${available.join(', ')})`);
  }
  return wanted;
}
