import type { RecordBatch } from 'apache-arrow';
import { takeBatch } from '../../arrow/batch.ts';
import { DOC_FILE, DOC_POS } from '../../plan/logical-plan.ts';
import type { QuarantinedDoc } from './events.ts';

/** Row helpers of the task runner: keeping rows, and naming documents by their identity columns. */

/** A numeric column's values, or undefined when the batch lacks it. */
export function columnValues(batch: RecordBatch, name: string): ArrayLike<number> | undefined {
  const i = batch.schema.fields.findIndex((f) => f.name === name);
  return i < 0 ? undefined : (batch.data.children[i]!.values as ArrayLike<number>);
}

/** The documents behind `rows`, with their source file and position, for quarantine records. */
export function docsOf(batch: RecordBatch, rows: readonly { row: number; error: string }[], paths: readonly string[] | undefined): QuarantinedDoc[] {
  const files = columnValues(batch, DOC_FILE), pos = columnValues(batch, DOC_POS);
  return rows.map(({ row, error }) => {
    const fileIndex = files ? files[row]! : -1;
    const file = paths?.[fileIndex];
    return { fileIndex, ...(file !== undefined ? { file } : {}), pos: pos ? pos[row]! : -1, error };
  });
}

/** The rows at `rows` (sorted); a contiguous run is a zero-copy slice. */
export function selectRows(batch: RecordBatch, rows: Int32Array): RecordBatch {
  if (rows.length === batch.numRows) return batch;
  if (rows.length > 0 && rows[rows.length - 1]! - rows[0]! === rows.length - 1) return batch.slice(rows[0]!, rows[0]! + rows.length);
  return takeBatch(batch, rows);
}

/** Rows of `batch` whose document (file index, position) is in `poisoned`. */
export function poisonedRows(batch: RecordBatch, poisoned: Map<string, { error: string }>): { row: number; error: string }[] {
  const files = columnValues(batch, DOC_FILE), pos = columnValues(batch, DOC_POS);
  if (!files || !pos) return [];
  const out: { row: number; error: string }[] = [];
  for (let i = 0; i < batch.numRows; i++) {
    const p = poisoned.get(`${files[i]}:${pos[i]}`);
    if (p) out.push({ row: i, error: p.error });
  }
  return out;
}
